/**
 * Everything the browser benches share: the api.os.uk mock, the local page server, one Chromium
 * session with both extensions, and two key-header projects added through the real popup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBenchBrowser, MINIMAL_DIR } from './browser.mjs';
import { startBenchPages } from './pages.mjs';
import { addProject, clickActive } from './popup-ui.mjs';
import { importTs } from './ts.mjs';

/** Project A's key is the one the floor extension's static rule sets (read from its rules.json). */
export const KEY_A = JSON.parse(readFileSync(join(MINIMAL_DIR, 'rules.json'), 'utf8'))[0].action.requestHeaders[0]
  .value;
export const KEY_B = 'BENCHkey0000000000000000000B';
export const PROJECT_A = 'Bench A';
export const PROJECT_B = 'Bench B';

/** @param {{ mainDir?: string }} options the extension to load (default dist/chrome) */
export async function startSession({ mainDir } = {}) {
  const { startOsApiMock } = await importTs('tests/mock/os-api-mock.ts');
  // Limits far above anything the bench sends: it must never see a 429.
  const mock = await startOsApiMock({
    projects: [
      { key: KEY_A, plan: 'live' },
      { key: KEY_B, plan: 'live' },
    ],
    rateLimitPerMinute: { dev: 1e9, live: 1e9 },
    // `BENCH_LATENCY_MS=30 npm run bench -- --only=monitoring`: every answer 30 ms late, like a real server.
    latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 0) || 0,
  });
  const pages = await startBenchPages();
  const browser = await launchBenchBrowser({ mockPort: mock.port, ...(mainDir ? { mainDir } : {}) });
  await browser.setFloorRuleset(false);

  /** @type {import('playwright-core').Page | null} */
  let open = null;
  /** The popup page (a tab), opened when needed. */
  async function popup() {
    if (open && !open.isClosed()) return open;
    open = await browser.context.newPage();
    await open.goto(browser.popupUrl);
    await open.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
    return open;
  }
  /** Close the popup tab (it asks the background for state on every storage change). */
  async function closePopup() {
    if (open && !open.isClosed()) await open.close();
    open = null;
  }

  try {
    await addProject(await popup(), { name: PROJECT_A, key: KEY_A, mode: 'Key header' });
    await addProject(await popup(), { name: PROJECT_B, key: KEY_B, mode: 'Key header' });
  } catch (e) {
    // Leave no browser, temp folders or servers behind when the set-up itself fails.
    await browser.close().catch(() => undefined);
    await pages.close();
    await mock.close();
    throw e;
  }

  const headerValues = (rules) =>
    rules.flatMap((r) => (r.action.type === 'modifyHeaders' ? r.action.requestHeaders.map((h) => h.value) : []));

  const want = (name) => (name === PROJECT_A ? KEY_A : name === PROJECT_B ? KEY_B : null);
  /** Whether the installed rules attach exactly `name`'s key (or nothing, for 'Off'). */
  async function rulesAre(name) {
    const values = headerValues(await browser.rules());
    const key = want(name);
    return key ? values.length > 0 && values.every((v) => v === key) : values.length === 0;
  }
  /** Wait until the rules attach `name`'s key (or nothing). */
  async function waitForRules(name, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await rulesAre(name))) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }
  /** Choose a project (or 'Off') in the popup and wait until the installed rules match; one retry. */
  async function activate(name) {
    if (await rulesAre(name)) return;
    for (let attempt = 1; ; attempt++) {
      await clickActive(await popup(), name);
      if (await waitForRules(name)) return;
      if (attempt === 2) throw new Error(`rules did not follow the switch to ${name}`);
    }
  }

  return {
    mock,
    pages,
    browser,
    popup,
    closePopup,
    activate,
    waitForRules,
    headerValues,
    async close() {
      await browser.close();
      await pages.close();
      await mock.close();
    },
  };
}
