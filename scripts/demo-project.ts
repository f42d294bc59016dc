/**
 * The demo project that `npm run demo` (scripts/demo.mjs) puts into a fresh browser profile, and
 * that the examples' end-to-end test uses the same way: written straight into the extension's
 * `chrome.storage.local` from its service worker, in the current stored schema, checked with the
 * extension's own validator first. The extension reacts to the storage change exactly as it does
 * to one of its own saves: it installs the rules for the active project.
 *
 * The key only works against the local mock (tests/mock), which knows it; it is not a real key.
 */
import type { Worker } from 'playwright-core';
import type { DnrRule } from '../src/core/dnr-rule';
import { STATE_STORAGE_KEY, emptyState, type KeyringState } from '../src/core/project';
import { parseCurrentState } from '../src/core/state-schema';
import { saveProject, setActiveProject } from '../src/core/state-updates';

export const DEMO_PROJECT_NAME = 'Demo (local mock)';
/** 32 characters like an OS key; the mock accepts it, api.os.uk never would. */
export const DEMO_KEY = 'DemoKeyForTheLocalMockNotReal001';
export const DEMO_SECRET = 'DemoSecretForTheLocalMock';

/**
 * The stored document with the demo project, active, sending its key as a `key` header. Built with
 * the same pure transitions the popup's Save and the project radio use, from an empty state, so it
 * follows the current schema whatever that is.
 */
export function demoState(now: number): KeyringState {
  const saved = saveProject(
    emptyState(),
    { name: DEMO_PROJECT_NAME, key: DEMO_KEY, secret: DEMO_SECRET, authMode: 'header', mode: 'live', badgeText: 'DEMO', color: '#00703c' },
    { now, newId: () => 'demo-project' },
  );
  if (!saved.ok) throw new Error(`The demo project was refused: ${saved.message}`);
  const active = setActiveProject(saved.state, saved.value.id);
  if (!active.ok) throw new Error(`The demo project could not be made active: ${active.message}`);
  const checked = parseCurrentState(active.state);
  if (!checked.ok) throw new Error(`The demo project does not match the stored schema: ${checked.error}`);
  return active.state;
}

/**
 * Write the demo project into the extension's storage through its service worker, then wait until
 * the extension has installed the rules that attach its key.
 *
 * The extension writes its (empty) document on its first start, read-then-write outside anything
 * we can wait on; writing ours in between would be overwritten. So first wait for that document to
 * exist, and check afterwards that ours is the one stored.
 */
export async function seedDemoProject(worker: Worker, options: { timeoutMs?: number } = {}): Promise<void> {
  const state = demoState(Date.now());
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const stored = () => worker.evaluate((key) => chrome.storage.local.get(key).then((items) => items[key] as unknown), STATE_STORAGE_KEY);
  const isDemo = (doc: unknown) => {
    const d = doc as Partial<KeyringState> | undefined;
    return d?.activeProjectId === state.activeProjectId && d.projects?.length === 1 && d.projects[0]?.key === DEMO_KEY;
  };
  const pause = () => new Promise((r) => setTimeout(r, 50));

  while ((await stored()) === undefined) {
    if (Date.now() > deadline) break; // an extension that never writes first is fine too
    await pause();
  }
  for (;;) {
    const doc = await stored();
    if (!isDemo(doc)) await worker.evaluate(([key, value]) => chrome.storage.local.set({ [key]: value }), [STATE_STORAGE_KEY, state] as const);
    const rules = (await worker.evaluate(() => chrome.declarativeNetRequest.getSessionRules())) as DnrRule[];
    const attached = rules.some((r) => r.action.type === 'modifyHeaders' && r.action.requestHeaders.some((h) => h.value === DEMO_KEY));
    if (attached && isDemo(doc)) return;
    if (Date.now() > deadline) {
      throw new Error(`The extension did not install the demo project’s rules in time. Rules: ${JSON.stringify(rules)}. Stored: ${JSON.stringify(doc)}`);
    }
    await pause();
  }
}
