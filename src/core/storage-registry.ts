/**
 * Every key the extension stores, in one place: which area holds it, whether it may hold a secret,
 * and what clears it. Reads and writes go through src/lib/storage.ts with these entries; lint
 * forbids storage calls and key literals anywhere else (eslint.config.js, zones/storage), so a new
 * key cannot be added without saying here where it lives and when it goes.
 *
 * `storage.local` is on disk and survives restarts; `storage.session` is held in memory by the
 * browser and emptied when it closes (https://developer.chrome.com/docs/extensions/reference/api/storage).
 * Secrets therefore live in `session`, except the keyring itself, whose keys are sealed by the
 * passphrase lock when it is on.
 */

export type StorageAreaName = 'local' | 'session';

export interface StorageEntry {
  readonly key: string;
  readonly area: StorageAreaName;
  /** May hold a key, an OAuth secret, a token or a lock key (never logged, never sent to a page). */
  readonly secret: boolean;
  /** What removes or empties it. */
  readonly cleared: string;
}

const BROWSER_CLOSE = 'when the browser closes (session area)';

export const STORAGE = {
  /** The versioned keyring (core/project.ts KeyringState): keys in plain text unless the lock is on. */
  state: {
    key: 'keyring',
    area: 'local',
    secret: true,
    cleared: 'never; a damaged document is reset only by the user, after a backup',
  },
  /** The monitoring settings (core/settings.ts). */
  settings: { key: 'settings', area: 'local', secret: false, cleared: 'never' },
  /** Daily request counts for 30 days (core/usage-window.ts). */
  dailyUsage: {
    key: 'dailyUsage',
    area: 'local',
    secret: false,
    cleared: 'days older than 30 are pruned on every write',
  },
  /** OAuth tokens by project (background/token-manager.ts). */
  tokens: {
    key: 'oauthTokens',
    area: 'session',
    secret: true,
    cleared: `when void (project edited or deleted, expired, rejected); ${BROWSER_CLOSE}`,
  },
  /** OAuth token status by project: times and errors, no secret. */
  tokenStatus: {
    key: 'oauthStatus',
    area: 'session',
    secret: false,
    cleared: `when the project is edited or deleted; ${BROWSER_CLOSE}`,
  },
  /** The unlocked passphrase lock's raw AES key (background/lock-session.ts). */
  lockSession: {
    key: 'unlockedLock',
    area: 'session',
    secret: true,
    cleared: `by Lock now, disabling the lock, forgetting the secrets; ${BROWSER_CLOSE}`,
  },
  /** Per-tab project pins (background/pin-store.ts). */
  tabPins: {
    key: 'tabPins',
    area: 'session',
    secret: false,
    cleared: `a pin ends when its tab closes; ${BROWSER_CLOSE}`,
  },
  /** The monitor's counters: usage windows, minutes, recent 401/403s, Check access reports. */
  monitorState: { key: 'monitorState', area: 'session', secret: false, cleared: BROWSER_CLOSE },
  /** Unseen and seen alerts, and the token failures already alerted. */
  monitorAlerts: {
    key: 'monitorAlerts',
    area: 'session',
    secret: false,
    cleared: `unseen ones when the user has seen them; ${BROWSER_CLOSE}`,
  },
} as const satisfies Record<string, StorageEntry>;

/** The prefix of the activity log's blocks (`activityLog.<n>`). */
export const ACTIVITY_LOG_PREFIX = 'activityLog';

/** One block of the activity log (see background/activity-log-store.ts for why it is stored in blocks). */
export function activityBlockEntry(n: number): StorageEntry {
  return {
    key: `${ACTIVITY_LOG_PREFIX}.${n}`,
    area: 'session',
    secret: false,
    cleared: `by Clear activity; ${BROWSER_CLOSE}`,
  };
}

const STATE_BACKUP_PREFIX = `${STORAGE.state.key}.backup.`;

/**
 * The copy of a damaged keyring kept by "Start again" (the user's data, so possibly keys): in
 * plain text while the lock is off, sealed with the lock while it is on (core/sealed-backup.ts).
 */
export function stateBackupEntry(now: number): StorageEntry {
  return {
    key: `${STATE_BACKUP_PREFIX}${now}`,
    area: 'local',
    secret: true,
    cleared: 'by its Delete button (options page, Settings); when the lock is turned on, if the user chooses delete',
  };
}

/** The time of a backup key (`keyring.backup.<time>`), or null for any other key. */
export function stateBackupTime(key: string): number | null {
  if (!key.startsWith(STATE_BACKUP_PREFIX)) return null;
  const rest = key.slice(STATE_BACKUP_PREFIX.length);
  return /^\d{1,16}$/.test(rest) ? Number(rest) : null;
}

/** Whether a `storage.onChanged` event (its changes and area name) touches any of `entries`. */
export function touches(
  changes: Readonly<Record<string, unknown>>,
  areaName: string,
  ...entries: readonly StorageEntry[]
): boolean {
  return entries.some((e) => e.area === areaName && Object.hasOwn(changes, e.key));
}
