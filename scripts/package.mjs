#!/usr/bin/env node
/**
 * `npm run package` (after `npm run build`): store-ready zips in dist/packages/.
 *   os-api-keyring-<version>-chrome.zip   → Chrome Web Store (dist/chrome, manifest at the root)
 *   os-api-keyring-<version>-firefox.zip  → addons.mozilla.org (dist/firefox), after `web-ext lint`
 *                                           finds 0 errors (scripts/lint-firefox.mjs)
 *   os-api-keyring-<version>-source.zip   → the source code AMO asks for with bundled/minified
 *                                           code (`git archive HEAD`; only inside a git checkout)
 * Zips are written with `web-ext build`, which leaves out dotfiles and the like.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'packages');
const webExt = join(root, 'node_modules', '.bin', 'web-ext');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

mkdirSync(out, { recursive: true });
const written = [];
for (const target of ['chrome', 'firefox']) {
  const dir = join(root, 'dist', target);
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`No build in ${dir}: run \`npm run build\` first (npm run package does).`);
    process.exit(1);
  }
  const { version } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  // 0 errors and no unexplained warnings, or no Firefox package.
  if (target === 'firefox') run(process.execPath, [join(root, 'scripts', 'lint-firefox.mjs'), dir]);
  const filename = `os-api-keyring-${version}-${target}.zip`;
  run(webExt, [
    'build',
    '--source-dir',
    dir,
    '--artifacts-dir',
    out,
    '--filename',
    filename,
    '--overwrite-dest',
    '--no-config-discovery',
  ]);
  written.push(join(out, filename));
}

// AMO reviewers rebuild bundled code from source: zip the committed tree.
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const source = join(out, `os-api-keyring-${version}-source.zip`);
try {
  execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, stdio: 'ignore' });
  rmSync(source, { force: true });
  execFileSync('git', ['archive', '--format=zip', '-o', source, 'HEAD'], { cwd: root, stdio: 'inherit' });
  written.push(source);
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  if (dirty) console.warn('Note: the source zip is the last commit (HEAD); your uncommitted changes are not in it.');
} catch {
  console.warn('Not a git checkout: no source zip written (AMO asks for one with bundled code; see docs/firefox.md).');
}

console.log(`\nPackages:\n${written.map((f) => `  ${f}`).join('\n')}`);
