import base from '@podlaunch/vitest-config'
import { defineConfig, mergeConfig } from 'vitest/config'

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['e2e/**/*.test.ts'],
      // next build on a busy 2-core machine.
      hookTimeout: 600_000,
      testTimeout: 180_000,
    },
  }),
)
