import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // wasm instantiation is per worker; forks keep each test file isolated.
    pool: 'forks',
    testTimeout: 60_000,
    reporters: ['default'],
  },
});
