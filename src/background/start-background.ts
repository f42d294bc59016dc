/**
 * Wires the background: listeners registered synchronously (an MV3 service worker only receives
 * the event that woke it if the listener exists by the end of its first turn), one serial queue
 * for every state change and rule update, and a reconcile on every start-up path.
 */
import type { LoadResult } from '../core/migrations';
import { projectIdFromMenuId } from '../core/menu-items';
import { activeProject, type KeyringState } from '../core/project';
import { nextActiveId, setActiveProject, type UpdateResult } from '../core/state-updates';
import { allowedSiteHosts } from '../core/site-access';
import { PRODUCT_NAME, toolbarFor, withWarning, type CredentialProblem, type ToolbarView } from '../core/toolbar';
import type { BrowserApi } from '../lib/browser-api';
import { handleMessages } from '../lib/message-handler';
import { MessageFailure } from '../lib/messaging';
import { createMessageHandlers } from './message-handlers';
import { createPinStore } from './pin-store';
import { keyedStorage } from '../lib/storage';
import { STORAGE, touches } from '../core/storage-registry';
import { createReconciler, extensionHostOf } from './reconciler';
import { createSerialQueue } from './serial-queue';
import { createStateStore } from './state-store';
import { LOCKED_MESSAGE, createLockSession, type OpenedState } from './lock-session';
import { PBKDF2_ITERATIONS, type CryptoDeps } from '../core/secret-box';
import { secretsOf, resealSecrets, stripSecrets } from '../core/secret-lock';
import { REFRESH_ALARM, createTokenManager, type TokenEnv } from './token-manager';
import { createActivityMonitor } from './activity-monitor';
import { createSettingsStore } from './settings-store';
import { syncViewerRule } from './viewer-rule-sync';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { alertsNewestFirst } from '../core/alerts';

export const CYCLE_COMMAND = 'cycle-project';

export interface BackgroundEnv extends TokenEnv {
  newId(): string;
  /** WebCrypto for the passphrase lock (index.ts passes the worker's own). */
  crypto: CryptoDeps;
  /**
   * PBKDF2 iterations for new locks, and the least a stored lock may have. TESTS ONLY (a small
   * count for speed); the extension leaves it unset, which means {@link PBKDF2_ITERATIONS}.
   */
  lockIterations?: number;
  /** The extension's version (from the manifest), written into export files. */
  appVersion?(): string;
  /** Minutes east of UTC now, for daily counts by local day; defaults to the system zone. */
  utcOffsetMinutes?(): number;
}

export interface Background {
  /** Resolves when the start-up reconcile has finished. */
  ready: Promise<unknown>;
  /** Queue a reconcile (coalesced with one already waiting). */
  reconcile(): Promise<LoadResult>;
}

function projectNames(state: KeyringState): Record<string, { name: string; mode: 'dev' | 'live' }> {
  return Object.fromEntries(state.projects.map((p) => [p.id, { name: p.name, mode: p.mode }]));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function startBackground(browser: BrowserApi, env: BackgroundEnv): Background {
  const queue = createSerialQueue();
  const storage = keyedStorage(browser.storage);
  /**
   * Bumped by every change to what an opened state depends on (a state write, a change of the
   * session key, a state change from elsewhere): an opened state read at the same generation is
   * still current, so a token update or a switch need not read it again.
   */
  let generation = 0;
  let known: { opened: OpenedState; generation: number } | null = null;
  const stateStore = createStateStore(storage, { minIterations: env.lockIterations ?? PBKDF2_ITERATIONS });
  const store: typeof stateStore = {
    load: () => stateStore.load(),
    save: (state) => (generation++, stateStore.save(state)),
    saveWithBackups: (state, backups) => (generation++, stateStore.saveWithBackups(state, backups)),
    readRaw: () => stateStore.readRaw(),
    resetKeepingBackup: (now, backup, fresh) => (generation++, stateStore.resetKeepingBackup(now, backup, fresh)),
    listBackups: () => stateStore.listBackups(),
    removeBackups: (backups) => stateStore.removeBackups(backups),
  };
  const session = createLockSession(storage, env.crypto);
  const lockSession: typeof session = {
    open: (state) => session.open(state),
    remember: (lock, keyBytes) => (generation++, session.remember(lock, keyBytes)),
    forget: () => (generation++, session.forget()),
  };
  /** State documents this worker is writing: their storage.onChanged echo needs no reconcile. */
  const ownWrites = new Set<string>();
  const reconciler = createReconciler(browser);
  const tokens = createTokenManager(browser, storage, env, { onToken: () => void applyKnown(), onCheckDue: () => void applyKnown() });
  const pins = createPinStore(storage);
  const settingsStore = createSettingsStore(storage);
  let settings: Settings = DEFAULT_SETTINGS;
  let waiting: Promise<LoadResult> | null = null;
  // Registered now (top level): webRequest listeners must exist in the worker's first turn.
  const monitor = createActivityMonitor(
    browser,
    storage,
    {
      now: () => env.now(),
      utcOffsetMinutes: () => env.utcOffsetMinutes?.() ?? -new Date(env.now()).getTimezoneOffset(),
      setTimer: (cb, ms) => env.setTimer(cb, ms),
    },
    {
      ready: () => ready,
      onAlertsChanged: () => void reconcile(),
      notify: (alert) => {
        if (settings.notifications) void browser.notifications.create(`alert-${alert.id}`, { title: PRODUCT_NAME, message: alert.message }).catch(() => undefined);
      },
    },
  );
  async function applySettings(): Promise<void> {
    settings = await settingsStore.load();
    monitor.setRecording(settings.recordActivity, settings.recordDurations);
    await syncViewerRule(browser.dnr, settings.viewer);
  }

  const extensionHost = (): string => extensionHostOf(browser);

  /** The stored state, opened with the session key when the lock is on and unlocked. */
  async function loadOpened(): Promise<{ ok: true; opened: OpenedState } | { ok: false; error: string }> {
    const at = generation;
    const loaded = await store.load();
    if (!loaded.ok) return loaded;
    const opened = await lockSession.open(loaded.state);
    known = { opened, generation: at };
    return { ok: true, opened };
  }

  /** The opened state if nothing it depends on changed since it was read or written here, else null. */
  function current(): OpenedState | null {
    return known && known.generation === generation ? known.opened : null;
  }

  /**
   * Rules, toolbar and token schedule again for what is known (a token arrived, a check is due):
   * no state read while the opened state is current; otherwise a full reconcile.
   */
  function applyKnown(): Promise<unknown> {
    if (waiting) return waiting;
    return queue(async () => {
      const opened = current();
      if (opened) return applyOpened(opened.state, opened.mode === 'locked');
      return reconcileNow();
    });
  }

  /** Rules, toolbar and menu for the stored `state`, with the current tokens, sites and pins; then the next token check. */
  async function applyState(stored: KeyringState | null): Promise<void> {
    if (!stored) {
      await reconciler.apply(null);
      monitor.setContext({ state: null, locked: false, rules: [], pins: {}, extensionHost: extensionHost(), projectNames: {} });
      return;
    }
    const opened = await lockSession.open(stored);
    return applyOpened(opened.state, opened.mode === 'locked');
  }

  /**
   * The same, for a state already opened with the session key (secrets in place when unlocked):
   * mutate has it in hand after sealing, so it need not decrypt what it just encrypted.
   */
  async function applyOpened(state: KeyringState, locked: boolean): Promise<void> {
    if (locked) {
      // Locked: nothing attached anywhere (no rules), the lock badge, and no token refreshes.
      await reconciler.apply(state, { locked: true });
      monitor.setContext({ state, locked: true, rules: [], pins: {}, extensionHost: extensionHost(), projectNames: projectNames(state) });
      await tokens.schedule({ ...state, projects: [], activeProjectId: null }, []);
      watchTabs(false);
      return;
    }
    const [usable, granted, loadedPins] = await Promise.all([tokens.usableTokens(state), browser.permissions.grantedOrigins(), pins.load()]);
    // Pins of tabs that closed while the worker slept end now (see watchTabs).
    const tabPins: Record<number, string | null> = { ...loadedPins };
    for (const tab of Object.keys(tabPins).map(Number)) {
      if (!(await browser.tabs.exists(tab))) {
        delete tabPins[tab];
        await pins.unpin(tab);
      }
    }

    async function problemOf(projectId: string | null): Promise<CredentialProblem> {
      const project = state.projects.find((p) => p.id === projectId);
      if (project?.authMode !== 'oauth' || usable[project.id]) return null;
      return (await tokens.view(project)).lastError?.kind === 'rejected' ? 'rejected' : 'unavailable';
    }

    await monitor.alertsReady(); // a small read, so a waking worker keeps the badge's warning
    const warning = alertsNewestFirst(monitor.alertsNow())[0]?.message ?? null;
    const tabToolbars = new Map<number, ToolbarView>();
    for (const [tab, projectId] of Object.entries(tabPins)) {
      const view = toolbarFor({ ...state, activeProjectId: projectId }, await problemOf(projectId));
      tabToolbars.set(Number(tab), withWarning({ ...view, title: `${view.title} (this tab only)` }, warning));
    }
    await reconciler.apply(state, {
      tokens: usable,
      now: env.now(),
      problem: await problemOf(activeProject(state)?.id ?? null),
      siteHosts: allowedSiteHosts(state.allowedSites, granted),
      pins: tabPins,
      tabToolbars,
      warning,
    });
    monitor.setContext({ state, locked: false, rules: reconciler.rules(), pins: tabPins, extensionHost: extensionHost(), tokens: usable, now: env.now(), projectNames: projectNames(state) });
    // Token refresh failures of the projects in use become alerts (once per new failure).
    const inUse = state.projects.filter((p) => p.authMode === 'oauth' && (p.id === state.activeProjectId || Object.values(tabPins).includes(p.id)));
    const views = await Promise.all(inUse.map(async (p) => ({ p, view: await tokens.view(p) })));
    void monitor.noteTokenFailures(views.map(({ p, view }) => ({ projectId: p.id, projectName: p.name, failures: view.lastError ? Math.max(1, view.failures) : 0, message: view.lastError?.message ?? '' })));
    await tokens.schedule(state, Object.values(tabPins).filter((id): id is string => id !== null));
    watchTabs(Object.keys(tabPins).length > 0);
  }

  /**
   * Tab events matter only while some tab is pinned, so their listeners are added only then:
   * registered at top level they would wake the worker on every page load and tab close in the
   * browser. A pinned tab closing ends its pin; a pinned tab loading a new page needs its badge,
   * title and icon set again (Chromium clears a tab's own values on navigation). If the worker is
   * asleep meanwhile, the next reconcile drops pins of closed tabs and re-applies the badges; rules
   * are unaffected either way (a closed tab's id is never reused in a session).
   */
  function onTabRemoved(tabId: number): void {
    void pins.unpin(tabId).then((had) => (had ? reconcile() : undefined));
  }
  function onTabUpdated(tabId: number, change: { status?: string }): void {
    if (change.status !== 'loading') return;
    void pins.load().then((tabPins) => {
      if (!(tabId in tabPins)) return undefined;
      reconciler.forgetTab(tabId);
      return reconcile();
    });
  }
  let watchingTabs = false;
  function watchTabs(on: boolean): void {
    if (on === watchingTabs) return;
    if (on) {
      browser.tabs.onUpdated.addListener(onTabUpdated);
      browser.tabs.onRemoved.addListener(onTabRemoved);
    } else {
      browser.tabs.onUpdated.removeListener(onTabUpdated);
      browser.tabs.onRemoved.removeListener(onTabRemoved);
    }
    watchingTabs = on;
  }

  /** Read the stored state and apply it (inside a queue slot). */
  async function reconcileNow(): Promise<LoadResult> {
    const at = generation;
    const loaded = await store.load();
    if (!loaded.ok) {
      await applyState(null);
      return loaded;
    }
    const opened = await lockSession.open(loaded.state);
    known = { opened, generation: at };
    await applyOpened(opened.state, opened.mode === 'locked');
    return loaded;
  }

  function reconcile(): Promise<LoadResult> {
    if (waiting) return waiting;
    const job = queue(async () => {
      waiting = null; // changes from now on need a fresh pass
      return reconcileNow();
    });
    waiting = job;
    return job;
  }

  /**
   * Load, apply a pure update, write once, reconcile: all in one queue slot. With the lock on and
   * unlocked, the update sees the secrets, and the result is re-sealed with the session key and
   * stored (projects blanked, new lock) in the same single write. While locked, an update that
   * needs secrets (`needsSecrets`), or that would store a key in plain text, is refused.
   */
  function mutate<T>(update: (state: KeyringState) => UpdateResult<T>, { needsSecrets = false } = {}): Promise<T> {
    return queue(async () => {
      const reuse = current();
      const loaded = reuse ? ({ ok: true, opened: reuse } as const) : await loadOpened();
      if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
      const { opened } = loaded;
      if (opened.mode === 'locked' && needsSecrets) throw new MessageFailure({ code: 'locked', message: LOCKED_MESSAGE });
      const result = update(opened.state);
      if (!result.ok) {
        throw new MessageFailure({ code: result.code, message: result.message, ...(result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}) });
      }
      let toStore = result.state;
      if (opened.mode === 'locked' && result.state.projects.some((p) => p.key !== '' || p.secret !== '')) {
        throw new MessageFailure({ code: 'locked', message: LOCKED_MESSAGE });
      }
      if (opened.mode === 'unlocked') {
        const sealed = await resealSecrets(opened.lock, opened.key, secretsOf(result.state.projects), env.crypto);
        if (!sealed.ok) throw new MessageFailure({ code: 'lock', message: sealed.message });
        toStore = { ...result.state, projects: stripSecrets(result.state.projects), lock: sealed.lock };
      }
      const written = JSON.stringify(toStore);
      ownWrites.add(written);
      try {
        await store.save(toStore);
        const next: OpenedState =
          opened.mode === 'unlocked' ? { ...opened, state: result.state, lock: toStore.lock! } : { mode: opened.mode, state: opened.mode === 'locked' ? toStore : result.state };
        known = { opened: next, generation };
      } catch (err) {
        ownWrites.delete(written);
        throw new MessageFailure({ code: 'storage', message: `The browser could not save your change (${describe(err)}). Nothing was changed.` });
      }
      try {
        // The new state is already open here: no need to decrypt what was just sealed.
        await applyOpened(opened.mode === 'locked' ? toStore : result.state, opened.mode === 'locked');
      } catch (err) {
        void reconcile(); // try the rules again from what is stored (as the echo of the write used to)
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
    // Read once: mutate reuses this opened state unless something changed it meanwhile.
    const loaded = await queue(() => loadOpened());
    const target = loaded.ok && loaded.opened.mode !== 'locked' ? loaded.opened.state.projects.find((p) => p.id === id) : undefined;
    // Quiet: the switch below applies the new token in its own rule update.
    if (target?.authMode === 'oauth') await tokens.ensure(target, { quiet: true });
    await mutate((s) => setActiveProject(s, id));
  }

  // --- listeners: all registered in this synchronous call ---
  browser.runtime.onInstalled.addListener(() => void reconcile());
  browser.runtime.onStartup.addListener(() => void reconcile());
  browser.storage.onChanged.addListener((changes, area) => {
    if (!touches(changes, area, STORAGE.state)) return;
    // This worker's own write is applied by the write itself (mutate): its echo is not reconciled again.
    if (ownWrites.delete(JSON.stringify(changes[STORAGE.state.key]?.newValue))) return;
    generation++; // written elsewhere: what is known is stale
    void reconcile();
  });
  // Sites: a permission granted or revoked in the browser's own settings changes what is allowed.
  browser.permissions.onAdded.addListener(() => void reconcile());
  browser.permissions.onRemoved.addListener(() => void reconcile());

  browser.storage.onChanged.addListener((changes, area) => {
    if (touches(changes, area, STORAGE.tabPins)) void reconcile();
    if (touches(changes, area, STORAGE.settings)) void applySettings();
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
    createMessageHandlers({ browser, env, queue, store, loadOpened, lockSession, tokens, pins, reconciler, mutate, activate, reconcile, ready: () => ready, cycleCommand: CYCLE_COMMAND, monitor, settingsStore, applySettings }),
  );

  // Every wake of the worker recomputes and applies the difference (usually nothing).
  const ready = Promise.all([applySettings().catch(() => undefined), reconcile()]).catch(() => undefined);
  return { ready, reconcile };
}
