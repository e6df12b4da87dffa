import react from '@vitejs/plugin-react'
import base from '@podlaunch/vitest-config'
import { mergeConfig } from 'vitest/config'

export default mergeConfig(base, {
  plugins: [react()],
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    environment: 'node',
  },
})
