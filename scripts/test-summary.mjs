// Prints vitest's totals as one plain closing line ("Tests: N passed, N failed") so CI can tell
// a run that tested nothing from one that passed. Exits non-zero if the report is missing.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`No test report at ${file}: ${err.message}`);
  process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
// A file can fail without a failed test: its setup (a browser that did not start) throws, and its
// tests are then counted as skipped. Those files are named, so the line never reads as a pass.
const brokenFiles = report.testResults.filter(
  (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
);
console.log(
  `Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}` +
    (brokenFiles.length
      ? `; ${brokenFiles.length} test file${brokenFiles.length === 1 ? '' : 's'} failed outside any test: ${brokenFiles.map((f) => f.name.replace(`${process.cwd()}/`, '')).join(', ')}`
      : ''),
);
process.exit(report.numFailedTests > 0 || brokenFiles.length > 0 || report.numPassedTests === 0 ? 1 : 0);
