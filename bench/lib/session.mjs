/**
 * Everything the browser benches share: the api.os.uk mock, the local page server, one Chromium
 * session with both extensions, and two key-header projects added through the real popup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBenchBrowser, MINIMAL_DIR } from './browser.mjs';
import { startBenchPages } from './pages.mjs';
import { importTs } from './ts.mjs';

/** Project A's key is the one the floor extension's static rule sets (read from its rules.json). */
export const KEY_A = JSON.parse(readFileSync(join(MINIMAL_DIR, 'rules.json'), 'utf8'))[0].action.requestHeaders[0].value;
export const KEY_B = 'BENCHkey0000000000000000000B';
export const PROJECT_A = 'Bench A';
export const PROJECT_B = 'Bench B';

export async function startSession() {
  const { startOsApiMock } = await importTs('tests/mock/os-api-mock.ts');
  const popupActions = await importTs('tests/e2e/popup-actions.ts');
  // Limits far above anything the bench sends: it must never see a 429.
  const mock = await startOsApiMock({
    projects: [
      { key: KEY_A, plan: 'live' },
      { key: KEY_B, plan: 'live' },
    ],
    rateLimitPerMinute: { dev: 1e9, live: 1e9 },
  });
  const pages = await startBenchPages();
  const browser = await launchBenchBrowser({ mockPort: mock.port });
  await browser.setFloorRuleset(false);

  const popup = await browser.context.newPage();
  await popup.goto(browser.popupUrl);
  await popup.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
  await popupActions.addProject(popup, { name: PROJECT_A, key: KEY_A, mode: 'Key header' });
  await popupActions.addProject(popup, { name: PROJECT_B, key: KEY_B, mode: 'Key header' });

  const headerValues = (rules) => rules.flatMap((r) => (r.action.type === 'modifyHeaders' ? r.action.requestHeaders.map((h) => h.value) : []));

  /** Choose a project (or 'Off') in the popup and wait until the installed rules match. */
  async function activate(name) {
    await popupActions.activate(popup, name);
    const want = name === PROJECT_A ? KEY_A : name === PROJECT_B ? KEY_B : null;
    const deadline = Date.now() + 5_000;
    for (;;) {
      const values = headerValues(await browser.rules());
      if (want ? values.includes(want) && values.every((v) => v === want) : values.length === 0) return;
      if (Date.now() > deadline) throw new Error(`rules did not follow the switch to ${name}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  return {
    mock,
    pages,
    browser,
    popup,
    activate,
    headerValues,
    async close() {
      await browser.close();
      await pages.close();
      await mock.close();
    },
  };
}
