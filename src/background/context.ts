/**
 * The background's one context object: the services it is built from (stores, token manager,
 * reconciler, monitor) and the named operations over them (operations.ts). Every handler takes
 * this context, or the part of it it needs, so no handler imports the entry file, and the entry
 * file (start-background.ts) only builds the context and registers listeners.
 *
 * Types only here: importing this file costs nothing and can never close an import cycle.
 */
import type { LoadResult } from '../core/migrations';
import type { KeyringState } from '../core/project';
import type { CryptoDeps } from '../core/secret-box';
import type { Settings } from '../core/settings';
import type { UpdateResult } from '../core/state-updates';
import type { BrowserApi } from '../lib/browser-api';
import type { KeyedStorage } from '../lib/storage';
import type { ActivityMonitor } from './activity-monitor';
import type { LockSession, OpenedState } from './lock-session';
import type { PinStore } from './pin-store';
import type { Reconciler } from './reconciler';
import type { SerialQueue } from './serial-queue';
import type { SettingsStore } from './settings-store';
import type { StateStore } from './state-store';
import type { TokenEnv, TokenManager } from './token-manager';

export interface BackgroundEnv extends TokenEnv {
  newId(): string;
  /** WebCrypto for the passphrase lock (index.ts passes the worker's own). */
  crypto: CryptoDeps;
  /**
   * PBKDF2 iterations for new locks, and the least a stored lock may have. TESTS ONLY (a small
   * count for speed); the extension leaves it unset, which means PBKDF2_ITERATIONS.
   */
  lockIterations?: number;
  /** The extension's version (from the manifest), written into export files. */
  appVersion?(): string;
  /** Minutes east of UTC now, for daily counts by local day; defaults to the system zone. */
  utcOffsetMinutes?(): number;
}

/** Tab listeners, registered only while some tab is pinned (tab-watch.ts). */
export interface TabWatch {
  /** Listen to tab events (some tab is pinned) or stop. */
  set(on: boolean): void;
}

/** The stored state opened with the session key, or why it could not be read. */
export type OpenResult = { ok: true; opened: OpenedState } | { ok: false; error: string };

/** What the background is built from. Each is created once per worker instance. */
export interface BackgroundServices {
  browser: BrowserApi;
  env: BackgroundEnv;
  /** Every state change and rule update runs in this one queue, one at a time. */
  queue: SerialQueue;
  storage: KeyedStorage;
  /** The state document. Its writes bump `memo.generation` (see createBackgroundContext). */
  store: StateStore;
  lockSession: LockSession;
  tokens: TokenManager;
  pins: PinStore;
  reconciler: Reconciler;
  monitor: ActivityMonitor;
  settingsStore: SettingsStore;
  tabWatch: TabWatch;
  /** The keyboard command that cycles projects (its shortcut is shown in the popup). */
  cycleCommand: string;
}

/** What the operations remember between calls, for this worker instance only. */
export interface BackgroundMemo {
  /**
   * Bumped by every change to what an opened state depends on (a state write, a change of the
   * session key, a state change from elsewhere): an opened state read at the same generation is
   * still current, so a token update or a switch need not read it again.
   */
  generation: number;
  known: { opened: OpenedState; generation: number } | null;
  /** State documents this worker is writing: their storage.onChanged echo needs no reconcile. */
  ownWrites: Set<string>;
  /** A reconcile queued and not yet started: later requests join it. */
  waiting: Promise<LoadResult> | null;
  settings: Settings;
  /** Resolves when the start-up reconcile has finished. */
  ready: Promise<unknown>;
}

/** The named operations (operations.ts), bound to this context. */
export interface BackgroundOperations {
  /** Read the stored state and open it (inside a queue slot). */
  loadOpened(): Promise<OpenResult>;
  /** Load, apply a pure update, write once, apply the rules: all in one queue slot. */
  mutate<T>(update: (state: KeyringState) => UpdateResult<T>, options?: { needsSecrets?: boolean }): Promise<T>;
  /** Switch project (an OAuth project gets its token first). */
  activate(id: string | null): Promise<void>;
  /**
   * Rules, toolbar and token schedule again for what is known (a token arrived): no state read
   * while the opened state is current; otherwise a full reconcile.
   */
  applyKnown(): Promise<unknown>;
  /** Queue a full read-and-apply (coalesced with one already waiting). */
  reconcile(): Promise<LoadResult>;
  /** Read the settings and apply them (recording, viewer rule). */
  applySettings(): Promise<void>;
  /** Resolves when the start-up reconcile has finished. */
  ready(): Promise<unknown>;
}

export interface BackgroundContext extends BackgroundServices, BackgroundOperations {
  memo: BackgroundMemo;
}
