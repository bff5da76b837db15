import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['site/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/build/**/*.test.ts', 'tests/support/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
