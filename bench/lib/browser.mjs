/**
 * One headless Chromium session with two unpacked extensions: the built OS API Keyring
 * (dist/chrome) and the bench's floor extension (bench/minimal-extension). Same flags as
 * tests/e2e/extension-harness.ts, with api.os.uk mapped to the local mock.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../../scripts/browser-paths.mjs';
import { createCpuMonitor } from './cpu.mjs';
import { ROOT } from './ts.mjs';

export const MAIN_DIR = resolve(ROOT, 'dist/chrome');
export const MINIMAL_DIR = resolve(ROOT, 'bench/minimal-extension');
export const POPUP_PATH = 'src/popup/index.html';

export { chromiumPath };

export function chromiumVersion() {
  try {
    return execFileSync(chromiumPath(), ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Copy the built extension to a temporary folder, so that a rebuild of dist/chrome by someone
 * else during the run cannot change what is being measured. Returns the copy's path.
 */
export function snapshotBuild() {
  if (!existsSync(join(MAIN_DIR, 'manifest.json')))
    throw new Error(`No built extension at ${MAIN_DIR}: run \`npm run build\` first.`);
  const dir = mkdtempSync(join(tmpdir(), 'keyring-bench-ext-'));
  cpSync(MAIN_DIR, dir, { recursive: true });
  return dir;
}

/** @param {{ mockPort: number, mainDir?: string }} options mainDir defaults to dist/chrome */
export async function launchBenchBrowser({ mockPort, mainDir = MAIN_DIR }) {
  if (!existsSync(join(mainDir, 'manifest.json')))
    throw new Error(`No built extension at ${mainDir}: run \`npm run build\` first.`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'keyring-bench-'));
  // Chromium writes _metadata/ (indexed rulesets) into an unpacked extension's folder: load a copy
  // so that nothing is generated inside the repository.
  const minimalCopy = mkdtempSync(join(tmpdir(), 'keyring-bench-floor-'));
  cpSync(MINIMAL_DIR, minimalCopy, { recursive: true, filter: (src) => !src.includes('_metadata') });
  const dirs = `${mainDir},${minimalCopy}`;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 420, height: 640 },
    args: [
      `--disable-extensions-except=${dirs}`,
      `--load-extension=${dirs}`,
      `--host-resolver-rules=MAP api.os.uk 127.0.0.1:${mockPort}`,
      '--ignore-certificate-errors',
      '--disable-gpu',
      '--disable-quic',
    ],
  });

  /** Extension id whose service worker script path ends with `suffix`. */
  async function idOf(suffix) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const w = context.serviceWorkers().find((x) => x.url().endsWith(suffix));
      if (w) return new URL(w.url()).host;
      await context.waitForEvent('serviceworker', { timeout: 2_000 }).catch(() => undefined);
    }
    throw new Error(`no service worker ending ${suffix}`);
  }
  const mainId = await idOf('/service-worker-loader.js');
  const minimalId = await idOf('/background.js');

  /** The current service worker of an extension (waits for a new one after a stop). */
  async function worker(id) {
    const live = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${id}/`));
    return (
      live.at(-1) ??
      context.waitForEvent('serviceworker', {
        predicate: (w) => w.url().startsWith(`chrome-extension://${id}/`),
        timeout: 10_000,
      })
    );
  }

  // chrome://serviceworker-internals, as in the e2e harness (CDP stop requests do not stop an
  // extension worker in Chromium 156). One tab, opened once and kept: the background listens to
  // tabs.onRemoved, so closing a tab would wake the worker straight after stopping it.
  /** @type {import('playwright-core').Page | null} */
  let internalsPage = null;
  async function internals() {
    if (!internalsPage || internalsPage.isClosed()) {
      internalsPage = await context.newPage();
      await internalsPage.goto('chrome://serviceworker-internals/');
    }
    return internalsPage;
  }
  const registration = (page, id) =>
    page.locator('.serviceworker-registration', { hasText: `chrome-extension://${id}/` });
  const statusOf = async (page, id) =>
    ((await registration(page, id).locator('.serviceworker-running-status .value').first().textContent()) ?? '').trim();

  return {
    context,
    mainId,
    minimalId,
    worker,
    popupUrl: `chrome-extension://${mainId}/${POPUP_PATH}`,
    /** CPU taken by processes that are not this bench or its browser. */
    cpu: createCpuMonitor(userDataDir),
    /** Open the internals tab now (opening it later would itself be a tab event). */
    prepareInternals: () => internals().then(() => undefined),
    workerStatus: async (id) => statusOf(await internals(), id),
    /** Stop an extension's worker the way Chromium does when idle; resolves once it reports STOPPED. */
    async stopWorker(id) {
      const page = await internals();
      // A DOM click event: the tab may be in the background, where Playwright's real clicks wait
      // for animation frames that never come (and bringing it to the front is a tab event).
      await registration(page, id).locator('cr-button[data-command="stop"]').first().dispatchEvent('click');
      const deadline = Date.now() + 5_000;
      while ((await statusOf(page, id)) !== 'STOPPED') {
        if (Date.now() > deadline) throw new Error(`service worker did not stop (status ${await statusOf(page, id)})`);
        await page.waitForTimeout(20);
      }
    },
    /** Main extension's session rules. */
    async rules() {
      return (await worker(mainId)).evaluate(() => chrome.declarativeNetRequest.getSessionRules());
    },
    /** Enable or disable the floor extension's static ruleset. */
    async setFloorRuleset(enabled) {
      const w = await worker(minimalId);
      return w.evaluate(async (on) => {
        await chrome.declarativeNetRequest.updateEnabledRulesets(
          on ? { enableRulesetIds: ['floor'] } : { disableRulesetIds: ['floor'] },
        );
        return chrome.declarativeNetRequest.getEnabledRulesets();
      }, enabled);
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(minimalCopy, { recursive: true, force: true });
    },
  };
}
