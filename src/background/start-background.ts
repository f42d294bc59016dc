/**
 * Wires the background: builds the one context (context.ts) from its services and the named
 * operations (operations.ts), then registers every listener synchronously (an MV3 service worker
 * only receives the event that woke it if the listener exists by the end of its first turn).
 * One serial queue carries every state change and rule update; every start-up path reconciles.
 */
import type { LoadResult } from '../core/migrations';
import { projectIdFromMenuId } from '../core/menu-items';
import { nextActiveId } from '../core/state-updates';
import { PRODUCT_NAME } from '../core/toolbar';
import type { BrowserApi } from '../lib/browser-api';
import { handleMessages } from '../lib/message-handler';
import { keyedStorage } from '../lib/storage';
import { STORAGE, touches } from '../core/storage-registry';
import { PBKDF2_ITERATIONS } from '../core/secret-box';
import { DEFAULT_SETTINGS } from '../core/settings';
import { createActivityMonitor } from './activity-monitor';
import type { BackgroundContext, BackgroundEnv, BackgroundMemo } from './context';
import { createLockSession } from './lock-session';
import { createMessageHandlers } from './message-handlers';
import { activate, applyKnown, applySettings, checkTokens, loadOpened, mutate, reconcile } from './operations';
import { createPinStore } from './pin-store';
import { createReconciler } from './reconciler';
import { createSerialQueue } from './serial-queue';
import { createSettingsStore } from './settings-store';
import { createStateStore } from './state-store';
import { createTabWatch } from './tab-watch';
import { REFRESH_ALARM, createTokenManager } from './token-manager';

export type { BackgroundEnv } from './context';

export const CYCLE_COMMAND = 'cycle-project';

export interface Background {
  /** Resolves when the start-up reconcile has finished. */
  ready: Promise<unknown>;
  /** Queue a reconcile (coalesced with one already waiting). */
  reconcile(): Promise<LoadResult>;
}

/** The context: services, memo and operations bound to it. Listeners are added by the caller. */
function createBackgroundContext(browser: BrowserApi, env: BackgroundEnv): BackgroundContext {
  const storage = keyedStorage(browser.storage);
  const memo: BackgroundMemo = {
    generation: 0,
    known: null,
    ownWrites: new Set(),
    waiting: null,
    settings: DEFAULT_SETTINGS,
    ready: Promise.resolve(),
  };
  // Every write of the state or the session key makes what is known stale (see BackgroundMemo).
  const stateStore = createStateStore(storage, { minIterations: env.lockIterations ?? PBKDF2_ITERATIONS });
  const session = createLockSession(storage, env.crypto);
  // Filled in below: the services' callbacks reach the operations through it.
  const ctx = {} as BackgroundContext;
  Object.assign(ctx, {
    browser,
    env,
    memo,
    storage,
    queue: createSerialQueue(),
    store: {
      load: () => stateStore.load(),
      save: (state) => (memo.generation++, stateStore.save(state)),
      saveWithBackups: (state, backups) => (memo.generation++, stateStore.saveWithBackups(state, backups)),
      readRaw: () => stateStore.readRaw(),
      resetKeepingBackup: (now, backup, fresh) => (
        memo.generation++,
        stateStore.resetKeepingBackup(now, backup, fresh)
      ),
      listBackups: () => stateStore.listBackups(),
      removeBackups: (backups) => stateStore.removeBackups(backups),
    },
    lockSession: {
      open: (state) => session.open(state),
      remember: (lock, keyBytes) => (memo.generation++, session.remember(lock, keyBytes)),
      forget: () => (memo.generation++, session.forget()),
    },
    reconciler: createReconciler(browser),
    tokens: createTokenManager(browser, storage, env, {
      onToken: () => void applyKnown(ctx),
      onCheckDue: () => void checkTokens(ctx),
    }),
    pins: createPinStore(storage),
    settingsStore: createSettingsStore(storage),
    // Registered now (top level): webRequest listeners must exist in the worker's first turn.
    monitor: createActivityMonitor(
      browser,
      storage,
      {
        now: () => env.now(),
        utcOffsetMinutes: () => env.utcOffsetMinutes?.() ?? -new Date(env.now()).getTimezoneOffset(),
        setTimer: (cb, ms) => env.setTimer(cb, ms),
      },
      {
        ready: () => memo.ready,
        onAlertsChanged: () => void reconcile(ctx),
        notify: (alert) => {
          if (memo.settings.notifications)
            void browser.notifications
              .create(`alert-${alert.id}`, { title: PRODUCT_NAME, message: alert.message })
              .catch(() => undefined);
        },
      },
    ),
    cycleCommand: CYCLE_COMMAND,
    loadOpened: () => loadOpened(ctx),
    mutate: (update, options) => mutate(ctx, update, options),
    activate: (id) => activate(ctx, id),
    reconcile: () => reconcile(ctx),
    applyKnown: () => applyKnown(ctx),
    applySettings: () => applySettings(ctx),
    ready: () => memo.ready,
  } satisfies Omit<BackgroundContext, 'tabWatch'>);
  ctx.tabWatch = createTabWatch(ctx);
  return ctx;
}

export function startBackground(browser: BrowserApi, env: BackgroundEnv): Background {
  const ctx = createBackgroundContext(browser, env);
  const { memo } = ctx;
  // --- listeners: all registered in this synchronous call ---
  browser.runtime.onInstalled.addListener(() => void ctx.reconcile());
  browser.runtime.onStartup.addListener(() => void ctx.reconcile());
  browser.storage.onChanged.addListener((changes, area) => {
    if (!touches(changes, area, STORAGE.state)) return;
    // This worker's own write is applied by the write itself (mutate): its echo is not reconciled again.
    if (memo.ownWrites.delete(JSON.stringify(changes[STORAGE.state.key]?.newValue))) return;
    memo.generation++; // written elsewhere: what is known is stale
    void ctx.reconcile();
  });
  // Sites: a permission granted or revoked in the browser's own settings changes what is allowed.
  browser.permissions.onAdded.addListener(() => void ctx.reconcile());
  browser.permissions.onRemoved.addListener(() => void ctx.reconcile());

  browser.storage.onChanged.addListener((changes, area) => {
    if (touches(changes, area, STORAGE.tabPins)) void ctx.reconcile();
    if (touches(changes, area, STORAGE.settings)) void ctx.applySettings();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM) void ctx.reconcile();
  });
  browser.contextMenus.onClicked.addListener((info) => {
    const id = projectIdFromMenuId(info.menuItemId);
    if (id !== undefined) void ctx.activate(id).catch(() => undefined);
  });
  browser.commands.onCommand.addListener((command) => {
    if (command !== CYCLE_COMMAND) return;
    // The next project is worked out from the state at the time of the switch.
    void (async () => {
      const loaded = await ctx.queue(() => ctx.store.load());
      if (loaded.ok) await ctx.activate(nextActiveId(loaded.state));
    })().catch(() => undefined);
  });

  handleMessages(browser.runtime, createMessageHandlers(ctx));

  // Every wake of the worker recomputes and applies the difference (usually nothing).
  memo.ready = Promise.all([ctx.applySettings().catch(() => undefined), ctx.reconcile()]).catch(() => undefined);
  return { ready: memo.ready, reconcile: () => ctx.reconcile() };
}
