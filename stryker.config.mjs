// Mutation testing (`npm run mutate`, see scripts/mutate.mjs and docs/mutation-testing.md).
// scripts/mutate.mjs runs Stryker once per file with `--mutate <file>` and MUTATE_TESTS set to
// only the test files that guard it, so a run stays small on a two-core machine.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: process.env.MUTATE_REPORT_HTML ?? 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: process.env.MUTATE_REPORT_JSON ?? 'reports/mutation/mutation.json' },
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['dist', 'reports', 'test-results', 'docs', 'bench', 'examples', '.ci'],
  thresholds: { high: 90, low: 80, break: null },
};
