// The one Vitest configuration every package starts from (`mergeConfig(base, {...})`). Plain
// JavaScript: Vitest bundles a package's own config file but loads this dependency with Node.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Sized for a busy 2-core machine, not a quiet one: creating an embedded PGlite database
    // takes 1-2 s quiet and 5-13 s when other work competes for the CPU, and end-to-end tests run
    // real bash pods and real servers. A test that is merely slow must not fail; a hung one still
    // fails within a minute.
    testTimeout: 60_000,
    // beforeAll/afterAll create and drop databases and start and stop servers.
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
})
