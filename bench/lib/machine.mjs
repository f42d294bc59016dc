/** A description of the machine and software the figures were measured on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromiumVersion } from './browser.mjs';
import { ROOT } from './ts.mjs';

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function describeMachine() {
  const cpu = cpus();
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'unknown';
    }
  };
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'src', 'manifest.json', 'vite.config.ts'])
    ? ' + uncommitted changes in src/'
    : '';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: cpu.length,
    cpuModel: cpu[0]?.model?.trim() ?? 'unknown',
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    os: `${process.platform} ${release()}`,
    chromium: chromiumVersion(),
    node: process.version,
    playwright: pkg('playwright-core'),
    vite: pkg('vite'),
    commit: commit ? `${commit}${dirty}` : 'unknown',
    /** 1-minute load average before the run (and, set by run.mjs, after it). */
    loadBefore: loadavg()[0].toFixed(2),
    loadAfter: '',
  };
}
