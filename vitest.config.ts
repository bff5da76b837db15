import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['site/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/build/**/*.test.ts', 'tests/support/**/*.test.ts'],
    testTimeout: 60_000,
    // One worker process runs file after file instead of a fresh one per file: starting 58 of
    // them was a fifth of the suite's CPU (110-122 -> 90-94 CPU-seconds on two cores). Files
    // then share globals and the module cache, so what a test stubs is undone after each test
    // here, for every file (no test file needs an afterEach of its own for that), and the suite
    // passes in any file order (`--sequence.shuffle.files`).
    isolate: false,
    unstubGlobals: true,
    unstubEnvs: true,
    restoreMocks: true,
  },
});
