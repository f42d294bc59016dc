/**
 * 5. Background start. The extension's service worker is stopped through
 * chrome://serviceworker-internals (as Chromium does when it is idle) and confirmed STOPPED. Then,
 * from another page of the extension that does not run the popup app (its manifest.json opened
 * in a tab: an extension-origin page with chrome.* APIs and no listeners of its own), the stored
 * state is changed to make the other project active, with chrome.storage.local.set. That storage
 * change is the event that wakes the worker. The same page then polls
 * chrome.declarativeNetRequest.getSessionRules() back to back until the new project's key is
 * installed. Time = performance.now() in that page, from just before storage.local.set to the
 * first poll that sees the right rules: write + worker start + listener registration + reconcile
 * + the session-rule update.
 * The same switch with the worker already running is measured too (no wake): the difference is
 * the cost of waking.
 */
import { median, percentile } from '../lib/stats.mjs';
import { KEY_A, KEY_B, PROJECT_A } from '../lib/session.mjs';

/** Runs in the extension page. Returns ms from the write to the rules showing `key`. */
async function switchByStorage({ name, key }) {
  const { keyring } = await chrome.storage.local.get('keyring');
  const target = keyring.projects.find((p) => p.name === name);
  const t0 = performance.now();
  await chrome.storage.local.set({ keyring: { ...keyring, activeProjectId: target.id } });
  const written = performance.now() - t0;
  for (let polls = 1; ; polls++) {
    const rules = await chrome.declarativeNetRequest.getSessionRules();
    const values = rules.flatMap((r) =>
      r.action.type === 'modifyHeaders' ? r.action.requestHeaders.map((h) => h.value) : [],
    );
    if (values.length && values.every((v) => v === key)) return { ms: performance.now() - t0, written, polls };
    if (performance.now() - t0 > 10_000) throw new Error('rules never followed the storage change');
  }
}

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchBackgroundStart(s, { runs }) {
  await s.activate(PROJECT_A);
  // Every tab needed is opened first: the background listens to tabs.onRemoved, so opening and
  // closing tabs inside the loop would wake the worker before the measured event.
  await s.browser.prepareInternals();
  const control = await s.browser.context.newPage();
  await control.goto(`chrome-extension://${s.browser.mainId}/manifest.json`);
  // The popup would message the background on every storage change (a second wake event).
  await s.closePopup();
  let current = 'A';
  const next = () => {
    current = current === 'A' ? 'B' : 'A';
    return current === 'A' ? { name: 'Bench A', key: KEY_A } : { name: 'Bench B', key: KEY_B };
  };

  const cold = [];
  const warm = [];
  const problems = [];
  for (let i = 0; i < runs; i++) {
    // Worker running: the reconcile alone.
    await s.browser.worker(s.browser.mainId);
    warm.push((await control.evaluate(switchByStorage, next())).ms);
    await control.waitForTimeout(100);

    await s.browser.stopWorker(s.browser.mainId);
    const before = await s.browser.workerStatus(s.browser.mainId);
    if (before !== 'STOPPED') problems.push(`run ${i + 1}: worker was ${before} before the wake`);
    const r = await control.evaluate(switchByStorage, next());
    cold.push(r.ms);
    const after = await s.browser.workerStatus(s.browser.mainId);
    // The internals page can lag a moment behind (STARTING): only STOPPED would mean no wake.
    if (after === 'STOPPED') problems.push(`run ${i + 1}: worker still STOPPED after the rules changed`);
    await control.waitForTimeout(100);
  }
  await control.close();
  await s.activate(PROJECT_A);
  return {
    runs,
    problems,
    cold: { median: median(cold), p95: percentile(cold, 95), max: Math.max(...cold), all: cold },
    warm: { median: median(warm), p95: percentile(warm, 95) },
  };
}

/** The popup opened while the worker is stopped: its first message is what wakes it. */
export async function popupAfterStop(s, popupTiming, { runs }) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    await s.browser.stopWorker(s.browser.mainId);
    all.push((await popupTiming(s.browser, { runs: 1 })).median);
  }
  return { runs, median: median(all), p95: percentile(all, 95), all };
}
