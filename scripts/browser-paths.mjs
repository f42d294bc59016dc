/**
 * Where the browsers are: one lookup for the e2e harnesses, the benchmarks, `npm start` and
 * `npm run demo`. An environment variable wins (CHROMIUM_PATH, FIREFOX_PATH); otherwise the first
 * of Debian's names found on PATH. Nothing is ever downloaded (the team brief forbids it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The first of `names` on PATH, or null. */
function onPath(names) {
  for (const name of names) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (found) return found;
    } catch {
      /* try the next */
    }
  }
  return null;
}

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const found = onPath(['chromium', 'chromium-browser']);
  if (found) return found;
  const mac = '/Applications/Chromium.app/Contents/MacOS/Chromium';
  if (existsSync(mac)) return mac;
  throw new Error('Chromium was not found: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
}

export function firefoxPath() {
  if (process.env.FIREFOX_PATH) return process.env.FIREFOX_PATH;
  const found = onPath(['firefox-esr', 'firefox']);
  if (found) return found;
  throw new Error('Firefox was not found: install it (Debian: apt-get install firefox-esr) or set FIREFOX_PATH.');
}
