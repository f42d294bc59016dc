/**
 * Wires the background: listeners registered synchronously (an MV3 service worker only receives
 * the event that woke it if the listener exists by the end of its first turn), one serial queue
 * for every state change and rule update, and a reconcile on every start-up path.
 */
import type { LoadResult } from '../core/migrations';
import { projectIdFromMenuId } from '../core/menu-items';
import { STATE_STORAGE_KEY, type KeyringState } from '../core/project';
import { redactProject } from '../core/redact';
import { deleteProject, nextActiveId, saveProject, setActiveProject, type UpdateResult } from '../core/state-updates';
import type { BrowserApi } from '../lib/browser-api';
import { MessageFailure, handleMessages } from '../lib/messaging';
import { createReconciler } from './reconciler';
import { createSerialQueue } from './serial-queue';
import { createStateStore } from './state-store';

export const CYCLE_COMMAND = 'cycle-project';

export interface BackgroundEnv {
  now(): number;
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
  let waiting: Promise<LoadResult> | null = null;

  function reconcile(): Promise<LoadResult> {
    if (waiting) return waiting;
    const job = queue(async () => {
      waiting = null; // changes from now on need a fresh pass
      const loaded = await store.load();
      await reconciler.apply(loaded.ok ? loaded.state : null);
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
        await reconciler.apply(result.state);
      } catch (err) {
        throw new MessageFailure({ code: 'rules', message: `Saved, but the browser refused the request rules (${describe(err)}).` });
      }
      return result.value;
    });
  }

  // --- listeners: all registered in this synchronous call ---
  browser.runtime.onInstalled.addListener(() => void reconcile());
  browser.runtime.onStartup.addListener(() => void reconcile());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && STATE_STORAGE_KEY in changes) void reconcile();
  });
  browser.contextMenus.onClicked.addListener((info) => {
    const id = projectIdFromMenuId(info.menuItemId);
    if (id !== undefined) void mutate((s) => setActiveProject(s, id)).catch(() => undefined);
  });
  browser.commands.onCommand.addListener((command) => {
    if (command === CYCLE_COMMAND) void mutate((s) => setActiveProject(s, nextActiveId(s))).catch(() => undefined);
  });

  handleMessages(browser.runtime, {
    async getState() {
      await ready;
      const [loaded, commands] = await Promise.all([queue(() => store.load()), browser.commands.getAll().catch(() => [])]);
      const shortcut = commands.find((c) => c.name === CYCLE_COMMAND)?.shortcut || null;
      if (!loaded.ok) return { status: 'damaged', problem: loaded.error, projects: [], activeProjectId: null, shortcut };
      return {
        status: 'ok',
        problem: reconciler.lastRuleError(),
        projects: loaded.state.projects.map(redactProject),
        activeProjectId: loaded.state.activeProjectId,
        shortcut,
      };
    },
    async getProjectForEdit({ id }) {
      const loaded = await queue(() => store.load());
      if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
      const p = loaded.state.projects.find((x) => x.id === id);
      if (!p) throw new MessageFailure({ code: 'not-found', message: 'This project no longer exists.' });
      return { id: p.id, revision: p.revision, name: p.name, key: p.key, secret: p.secret, authMode: p.authMode, badgeText: p.badgeText, color: p.color };
    },
    async saveProject(input) {
      const project = await mutate((s) => saveProject(s, input, { now: env.now(), newId: env.newId }));
      return { id: project.id };
    },
    async deleteProject({ id }) {
      await mutate((s) => deleteProject(s, id));
      return null;
    },
    async setActiveProject({ id }) {
      await mutate((s) => setActiveProject(s, id));
      return null;
    },
    async resetDamagedState() {
      return queue(async () => {
        const loaded = await store.load();
        if (loaded.ok) throw new MessageFailure({ code: 'not-damaged', message: 'The saved data is fine; nothing was reset.' });
        let backupKey: string;
        try {
          backupKey = await store.resetKeepingBackup(env.now());
        } catch (err) {
          throw new MessageFailure({ code: 'storage', message: `The browser could not write the backup (${describe(err)}). Your old data is unchanged.` });
        }
        await reconciler.apply(null);
        return { backupKey };
      }).then(async (result) => {
        await reconcile();
        return result;
      });
    },
  });

  // Every wake of the worker recomputes and applies the difference (usually nothing).
  const ready = reconcile().catch(() => undefined);
  return { ready, reconcile };
}
