import { defineConfig } from 'vitest/config';

// For mutation testing only (stryker.config.mjs): the unit tests named in MUTATE_TESTS
// (comma-separated), so each file's mutants run against just the tests that guard it.
const include = (process.env.MUTATE_TESTS ?? 'src/**/*.test.{ts,tsx}').split(',').filter(Boolean);

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: { include, environment: 'node' },
});
