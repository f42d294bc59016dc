import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (pure core, background against a fake browser, popup in
// happy-dom, the mock server) and end-to-end tests that drive Debian's Chromium with the
// built extension loaded. `npm test` builds first, then runs both.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'tests/unit/**/*.test.{ts,tsx}', 'tests/mock/**/*.test.ts'],
          environment: 'node',
          // Vitest's 5 s default is a stall guard, not a speed check (speed lives in bench/). On a loaded
          // 2-core machine the happy-dom and property tests have taken over 5 s, so a stall is 20 s here.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Set-up hooks start a browser (Firefox may take up to 60 s on a loaded machine, then the add-on).
          hookTimeout: 120_000,
          // One browser at a time: the machine has 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
