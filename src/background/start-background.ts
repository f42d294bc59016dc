/**
 * Wires the background: listeners registered synchronously (an MV3 service worker only receives
 * the event that woke it if the listener exists by the end of its first turn), one serial queue
 * for every state change and rule update, and a reconcile on every start-up path.
 */
import type { LoadResult } from '../core/migrations';
import { projectIdFromMenuId } from '../core/menu-items';
import { STATE_STORAGE_KEY, activeProject, type KeyringState } from '../core/project';
import { nextActiveId, setActiveProject, type UpdateResult } from '../core/state-updates';
import type { CredentialProblem } from '../core/toolbar';
import type { BrowserApi } from '../lib/browser-api';
import { MessageFailure, handleMessages } from '../lib/messaging';
import { createMessageHandlers } from './message-handlers';
import { createReconciler } from './reconciler';
import { createSerialQueue } from './serial-queue';
import { createStateStore } from './state-store';
import { REFRESH_ALARM, createTokenManager, type TokenEnv } from './token-manager';

export const CYCLE_COMMAND = 'cycle-project';

export interface BackgroundEnv extends TokenEnv {
  newId(): string;
}

export interface Background {
  /** Resolves when the start-up reconcile has finished. */
  ready: Promise<unknown>;
  /** Queue a reconcile (coalesced with one already waiting). */
  reconcile(): Promise<LoadResult>;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function startBackground(browser: BrowserApi, env: BackgroundEnv): Background {
  const queue = createSerialQueue();
  const store = createStateStore(browser.storage.local);
  const reconciler = createReconciler(browser);
  const tokens = createTokenManager(browser, env, () => void reconcile());
  let waiting: Promise<LoadResult> | null = null;

  /** Rules, toolbar and menu for `state`, with the current tokens; then the next token check. */
  async function applyState(state: KeyringState | null): Promise<void> {
    if (!state) return reconciler.apply(null);
    const usable = await tokens.usableTokens(state);
    const project = activeProject(state);
    let problem: CredentialProblem = null;
    if (project?.authMode === 'oauth' && !usable[project.id]) {
      problem = (await tokens.view(project)).lastError?.kind === 'rejected' ? 'rejected' : 'unavailable';
    }
    await reconciler.apply(state, { tokens: usable, now: env.now(), problem });
    await tokens.schedule(state);
  }

  function reconcile(): Promise<LoadResult> {
    if (waiting) return waiting;
    const job = queue(async () => {
      waiting = null; // changes from now on need a fresh pass
      const loaded = await store.load();
      await applyState(loaded.ok ? loaded.state : null);
      return loaded;
    });
    waiting = job;
    return job;
  }

  /** Load, apply a pure update, write once, reconcile: all in one queue slot. */
  function mutate<T>(update: (state: KeyringState) => UpdateResult<T>): Promise<T> {
    return queue(async () => {
      const loaded = await store.load();
      if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
      const result = update(loaded.state);
      if (!result.ok) {
        throw new MessageFailure({ code: result.code, message: result.message, ...(result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}) });
      }
      try {
        await store.save(result.state);
      } catch (err) {
        throw new MessageFailure({ code: 'storage', message: `The browser could not save your change (${describe(err)}). Nothing was changed.` });
      }
      try {
        await applyState(result.state);
      } catch (err) {
        throw new MessageFailure({ code: 'rules', message: `Saved, but the browser refused the request rules (${describe(err)}).` });
      }
      return result.value;
    });
  }

  /**
   * Switch project. An OAuth project gets its token *before* the switch is written, so the old
   * credential stays on the wire until the new one can replace it in the same rule update. If the
   * token cannot be had, the switch still happens and the popup says why.
   */
  async function activate(id: string | null): Promise<void> {
    const loaded = await queue(() => store.load());
    const target = loaded.ok ? loaded.state.projects.find((p) => p.id === id) : undefined;
    if (target?.authMode === 'oauth') await tokens.ensure(target);
    await mutate((s) => setActiveProject(s, id));
  }

  // --- listeners: all registered in this synchronous call ---
  browser.runtime.onInstalled.addListener(() => void reconcile());
  browser.runtime.onStartup.addListener(() => void reconcile());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && STATE_STORAGE_KEY in changes) void reconcile();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM) void reconcile();
  });
  browser.contextMenus.onClicked.addListener((info) => {
    const id = projectIdFromMenuId(info.menuItemId);
    if (id !== undefined) void activate(id).catch(() => undefined);
  });
  browser.commands.onCommand.addListener((command) => {
    if (command !== CYCLE_COMMAND) return;
    // The next project is worked out from the state at the time of the switch.
    void (async () => {
      const loaded = await queue(() => store.load());
      if (loaded.ok) await activate(nextActiveId(loaded.state));
    })().catch(() => undefined);
  });

  handleMessages(
    browser.runtime,
    createMessageHandlers({ browser, env, queue, store, tokens, reconciler, mutate, activate, reconcile, ready: () => ready, cycleCommand: CYCLE_COMMAND }),
  );

  // Every wake of the worker recomputes and applies the difference (usually nothing).
  const ready = reconcile().catch(() => undefined);
  return { ready, reconcile };
}
