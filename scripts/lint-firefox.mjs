#!/usr/bin/env node
/**
 * `npm run lint:firefox`: Mozilla's add-on linter (`web-ext lint`, the checks addons.mozilla.org
 * runs on upload) on dist/firefox. Fails on any error, and on any warning that docs/firefox.md
 * does not explain (EXPLAINED below), so a new warning cannot slip into a release unnoticed.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'firefox');

/** Warning code → why it stays (the same words as docs/firefox.md, "web-ext lint"). */
const EXPLAINED = {
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION:
    'strict_min_version 140 also applies to Firefox for Android, which reads data_collection_permissions only from 142; the extension is for desktop Firefox (no toolbar menus or keyboard shortcuts on Android).',
  UNSAFE_VAR_ASSIGNMENT:
    "Preact's renderer contains `innerHTML = …` for dangerouslySetInnerHTML, which the extension never uses: every value it renders goes through text nodes.",
};

const result = spawnSync(
  join(root, 'node_modules', '.bin', 'web-ext'),
  ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
let report;
try {
  report = JSON.parse(result.stdout);
} catch {
  process.stderr.write(result.stdout + result.stderr);
  console.error('web-ext lint did not produce a JSON report');
  process.exit(1);
}
const where = (m) => (m.file ? ` (${m.file}${m.line ? `:${m.line}` : ''})` : '');
for (const e of report.errors) console.error(`ERROR   ${e.code}: ${e.message}${where(e)}\n        ${e.description}`);
const unexplained = report.warnings.filter((w) => !(w.code in EXPLAINED));
for (const w of report.warnings) {
  const why = EXPLAINED[w.code];
  console.log(
    `${why ? 'warning' : 'WARNING'} ${w.code}: ${w.message}${where(w)}\n        ${why ? `Explained: ${why}` : `NOT EXPLAINED: ${w.description} (fix it, or explain it in docs/firefox.md and scripts/lint-firefox.mjs)`}`,
  );
}
for (const n of report.notices) console.log(`notice  ${n.code}: ${n.message}${where(n)}`);
console.log(
  `web-ext lint ${sourceDir}: ${report.errors.length} errors, ${report.warnings.length} warnings (${unexplained.length} unexplained), ${report.notices.length} notices`,
);
process.exit(report.errors.length || unexplained.length ? 1 : 0);
