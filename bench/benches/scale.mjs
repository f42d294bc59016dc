/**
 * 6. Scale: 200 saved projects. The state is built with the core's own saveProject (so every
 * project is what the popup would have saved), checked with parseCurrentState (the schema the
 * background validates on every read), and written straight into chrome.storage.local under
 * 'keyring' from the background's context. The popup is then timed exactly as in 4, and the
 * stored size is reported as chrome.storage.local.getBytesInUse('keyring') (Chromium's count:
 * key + JSON value) and as the UTF-8 length of the JSON document.
 */
import { importTs } from '../lib/ts.mjs';

export async function buildState(count) {
  const { emptyState, STATE_STORAGE_KEY } = await importTs('src/core/project.ts');
  const { saveProject } = await importTs('src/core/state-updates.ts');
  const { parseCurrentState } = await importTs('src/core/state-schema.ts');
  let state = emptyState();
  const t = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const n = String(i + 1).padStart(3, '0');
    const r = saveProject(
      state,
      {
        name: `Scale project ${n}`,
        key: `SCALEkey${n}${'0'.repeat(17)}`,
        secret: i % 3 === 0 ? `secret-${n}` : '',
        authMode: i % 2 ? 'query' : 'header',
        plan: i % 4 < 2 ? 'live' : 'dev',
      },
      { now: t + i * 60_000, newId: () => `00000000-0000-4000-8000-${n.padStart(12, '0')}` },
    );
    if (!r.ok) throw new Error(`saveProject refused project ${n}: ${r.message}`);
    state = r.state;
  }
  state = { ...state, activeProjectId: state.projects[0].id };
  const checked = parseCurrentState(state);
  if (!checked.ok) throw new Error(`built state does not validate: ${checked.error}`);
  return { state, storageKey: STATE_STORAGE_KEY };
}

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
/**
 * @param built the result of buildState(), made right after the build so that it matches the
 *   schema of the extension under test even if src/ changes during the run
 */
export async function benchScale(s, popupTiming, { built, runs }) {
  const { state, storageKey } = built;
  const projects = state.projects.length;
  const activeKey = state.projects[0].key;
  const worker = await s.browser.worker(s.browser.mainId);
  const bytesInUse = await worker.evaluate(
    async ({ k, v }) => {
      await chrome.storage.local.set({ [k]: v });
      return chrome.storage.local.getBytesInUse(k);
    },
    { k: storageKey, v: state },
  );
  // The background reconciles on the storage change; wait for the first project's rules.
  const deadline = Date.now() + 5_000;
  while (!s.headerValues(await s.browser.rules()).includes(activeKey)) {
    if (Date.now() > deadline) {
      const page = await s.browser.context.newPage();
      await page.goto(s.browser.popupUrl);
      await page.waitForTimeout(500);
      const alert = await page.locator('[role=alert]').allTextContents();
      await page.close();
      throw new Error(
        `rules did not follow the ${projects}-project state (schema ${state.schemaVersion}); popup says: ${alert.join(' ') || 'nothing'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const timing = await popupTiming(s.browser, { runs });
  // Check the popup really lists them all.
  const page = await s.browser.context.newPage();
  await page.goto(s.browser.popupUrl);
  await page.getByRole('button', { name: 'Add project' }).waitFor();
  const listed = await page.getByRole('radiogroup', { name: 'Active project' }).getByRole('radio').count();
  await page.close();
  return { projects, bytesInUse, jsonBytes: Buffer.byteLength(JSON.stringify(state)), listed, timing };
}
