export * from './lifecycle.ts'
export * from './errors.ts'
