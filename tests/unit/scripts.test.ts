/**
 * The repository's own commands, as a new user meets them: `npm run demo -- --help`, `npm start`
 * with no display, `npm run examples` stopping on Ctrl+C, `npm ci` on the Node version the README
 * asks for, and no build-time document named in the product's pages.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const NO_DISPLAY = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY'),
);

describe('npm run demo -- --help', () => {
  it('prints the options and exits 0 without building or starting anything', () => {
    const run = spawnSync('npm', ['run', '-s', 'demo', '--', '--help'], {
      cwd: root,
      encoding: 'utf8',
      env: NO_DISPLAY,
    });
    expect(run.status).toBe(0);
    for (const option of ['--check', '--no-build', '--help', 'CHROMIUM_PATH', 'EXAMPLES_PORT'])
      expect(run.stdout).toContain(option);
    expect(run.stdout).not.toContain('Building');
  });

  it('an unknown option is refused with the same help, exit 2', () => {
    const run = spawnSync('node', ['scripts/demo.mjs', '--chekc'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Unknown option --chekc.');
    expect(run.stderr).toContain('--no-build');
  });
});

describe('npm start with no display', () => {
  const webExtProfiles = () => readdirSync(tmpdir()).filter((n) => n.startsWith('tmp-web-ext-'));

  it('says so plainly, exits 1, builds nothing and leaves no temporary profile', () => {
    const before = webExtProfiles();
    const distBefore = statSafe(join(root, 'dist/chrome/manifest.json'));
    const run = spawnSync('npm', ['start', '-s'], { cwd: root, encoding: 'utf8', env: NO_DISPLAY, timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('there is no display here (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(run.stderr).toContain('npm start -- --check');
    // No stack trace: no "    at …" frames, no Error: prefix.
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/\bError:/);
    expect(webExtProfiles().filter((n) => !before.includes(n))).toEqual([]);
    // The build did not run (it would rewrite dist/).
    expect(statSafe(join(root, 'dist/chrome/manifest.json'))).toBe(distBefore);
  });
});

function statSafe(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

describe('npm run examples', () => {
  it('stops its server on Ctrl+C sent to npm alone, with a browser connection still open', async () => {
    // A process group of its own, so that whatever happens the finally below can end all of it.
    const child = spawn('npm', ['run', 'examples'], {
      cwd: root,
      env: { ...process.env, EXAMPLES_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await expect.poll(() => /localhost:(\d+)\//.test(out), { timeout: 15_000 }).toBe(true);
      const port = Number(/localhost:(\d+)\//.exec(out)![1]);
      // A keep-alive connection, as a browser keeps one.
      const agentStatus = await new Promise<number>((r, j) => {
        const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'keep-alive' } }, (res) => {
          res.resume();
          r(res.statusCode ?? 0);
        });
        req.on('error', j);
        req.end();
      });
      expect(agentStatus).toBe(200);
      // What a terminal's Ctrl+C does to npm; npm passes it on to the script it runs.
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 5_000))]);
      expect(code).toBe(0);
      expect(out).toContain('Stopped the examples server.');
      const refused = await new Promise<boolean>((r) => {
        const req = request({ host: '127.0.0.1', port, path: '/' }, () => r(false));
        req.on('error', () => r(true));
        req.end();
      });
      expect(refused).toBe(true);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
});

describe('dependencies and the Node version the README asks for', () => {
  it('every locked package accepts the oldest Node that package.json allows (so npm ci warns about no engine)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    expect(oldest).toBe('20.19.0');
    const refusing = Object.entries(lock.packages)
      .filter(
        ([path, p]) =>
          path !== '' &&
          p.engines &&
          !Array.isArray(p.engines) &&
          p.engines.node &&
          !semver.satisfies(oldest, p.engines.node),
      )
      .map(([path, p]) => `${path} (${(p.engines as { node: string }).node})`);
    expect(refusing).toEqual([]);
  });
});

describe('the product’s pages', () => {
  it('never name a repository document such as BENCHMARKS.md', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const named = files(join(root, 'src'))
      .filter((f) => /\.(tsx|html|css)$/.test(f))
      .filter((f) => /BENCHMARKS\.md|RELIABILITY\.md|docs\/benchmarks/i.test(readFileSync(f, 'utf8')));
    expect(named).toEqual([]);
  });
});
