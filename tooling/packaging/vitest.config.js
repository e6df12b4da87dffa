export { default } from '@podlaunch/vitest-config'
