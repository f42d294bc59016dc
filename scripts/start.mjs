#!/usr/bin/env node
/**
 * `npm start [-- --browser=chromium|firefox] [web-ext run options…]`: builds (--build), then opens
 * the browser with the freshly built extension loaded and a throwaway profile (deleted on exit),
 * using `web-ext run`. Default browser: chromium. The extension reloads when dist/<browser>
 * changes, so running `npm run build` in another terminal picks up edits.
 *
 * Browsers: FIREFOX_PATH / CHROMIUM_PATH, else Debian's `firefox-esr` (or `firefox`) / `chromium`.
 * `--check` starts the browser headless, waits until the extension is loaded, then closes it and
 * exits 0 (CI uses this to prove `npm start` works on a machine with no display).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, firefoxPath } from './browser-paths.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const pick = (name) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const [arg] = args.splice(i, 1);
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : 'true';
};
const browser = (pick('browser') ?? 'chromium').toLowerCase();
const check = pick('check') === 'true';
if (!['chromium', 'chrome', 'firefox'].includes(browser)) {
  console.error(`Unknown --browser=${browser}: use --browser=chromium or --browser=firefox.`);
  process.exit(2);
}
const firefox = browser === 'firefox';

// A visible browser needs a display: say so plainly, before starting anything (web-ext would
// start the browser, fail with a stack trace and leave its temporary profile behind).
const needsDisplay = !check && process.platform !== 'darwin' && process.platform !== 'win32';
if (needsDisplay && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error(
    `npm start opens ${firefox ? 'Firefox' : 'Chromium'} in a window, but there is no display here (DISPLAY and WAYLAND_DISPLAY are unset).\n` +
      'Run it in a desktop session, or load the built extension (dist/) into your own browser as the README says. ' +
      '`npm start -- --check` starts the browser headless with the extension, to check it loads; ' +
      '`npm run demo -- --check` loads the example maps headless through the extension.',
  );
  process.exit(1);
}

/** The browser's path, or exit with the install hint. */
function browserPath(find) {
  try {
    return find();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}

/**
 * web-ext copies Chromium's profile into tmp-web-ext--<pid>-… and leaves it behind; remove the
 * ones made by process `pid` (this script, or the web-ext it started).
 */
function removeLeftoverProfiles(pid) {
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(`tmp-web-ext--${pid}-`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

// `npm start` passes --build: build only once we know the browser can be shown.
if (pick('build') === 'true') {
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('The build failed; see the messages above.');
    process.exit(1);
  }
}

const sourceDir = join(root, 'dist', firefox ? 'firefox' : 'chrome');
if (!existsSync(join(sourceDir, 'manifest.json'))) {
  console.error(`No build in ${sourceDir}: run \`npm run build\` first (npm start does).`);
  process.exit(1);
}

const webExtArgs = ['run', '--source-dir', sourceDir, '--no-input'];
const env = { ...process.env };
if (firefox) {
  webExtArgs.push('--target', 'firefox-desktop', '--firefox', browserPath(firefoxPath));
} else {
  webExtArgs.push('--target', 'chromium', '--chromium-binary', browserPath(chromiumPath));
  // Chromium refuses to run as root with its sandbox on.
  if (process.getuid?.() === 0) webExtArgs.push('--arg=--no-sandbox');
  if (check) webExtArgs.push('--arg=--headless=new');
}
webExtArgs.push(...args);

if (check) {
  // Headless, through web-ext's API: `run` resolves once the extension is in the browser, and
  // `exit()` closes the browser and deletes the temporary profile.
  const { cmd } = await import('web-ext');
  const options = {
    sourceDir,
    noInput: true,
    noReload: true,
    target: [firefox ? 'firefox-desktop' : 'chromium'],
    ...(firefox
      ? { firefox: webExtArgs[webExtArgs.indexOf('--firefox') + 1] }
      : { chromiumBinary: webExtArgs[webExtArgs.indexOf('--chromium-binary') + 1] }),
    args: webExtArgs.filter((a) => a.startsWith('--arg=')).map((a) => a.slice('--arg='.length)),
  };
  if (firefox) process.env.MOZ_HEADLESS = '1';
  const timer = setTimeout(() => {
    console.error('--check: the browser did not start with the extension within 60 s');
    process.exit(1);
  }, 60_000);
  const runner = await cmd.run(options, { shouldExitProgram: false });
  clearTimeout(timer);
  console.log(`--check: ${firefox ? 'Firefox' : 'Chromium'} started with ${sourceDir} loaded; closing it.`);
  await runner.exit();
  removeLeftoverProfiles(process.pid);
  process.exit(0);
}

const webExt = join(root, 'node_modules', '.bin', 'web-ext');
console.log(
  `Starting ${firefox ? 'Firefox' : 'Chromium'} with ${sourceDir} and a throwaway profile (web-ext ${webExtArgs.join(' ')})`,
);
const child = spawn(webExt, webExtArgs, { env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  removeLeftoverProfiles(child.pid);
  process.exit(code ?? (signal ? 1 : 0));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
