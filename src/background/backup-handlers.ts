/**
 * "Start again" and the backups it keeps (`keyring.backup.<time>`): listing and deleting them on
 * the options page. With the lock on, no key may stay in plain text in storage.local, so a backup
 * made then is sealed at once (core/sealed-backup.ts); turning the lock on deals with the older
 * ones (lock-handlers.ts).
 */
import type { MessageMap } from '../core/messages';
import { emptyState, type KeyringState } from '../core/project';
import { backupInfo, sealBackup, withoutPlainSecrets } from '../core/sealed-backup';
import { PBKDF2_ITERATIONS, parseSecretLock, type SecretLock } from '../core/secret-box';
import { describeError, MessageFailure } from '../lib/messaging';
import type { LockSession } from './lock-session';
import type { BackgroundEnv } from './context';
import type { StateStore } from './state-store';

type BackupMessages = 'resetDamagedState' | 'listBackups' | 'deleteBackup';
type BackupHandlers = { [N in BackupMessages]: (args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']> };

export interface BackupDeps {
  env: Pick<BackgroundEnv, 'crypto' | 'lockIterations' | 'now'>;
  queue: <T>(job: () => Promise<T>) => Promise<T>;
  store: StateStore;
  lockSession: Pick<LockSession, 'open'>;
  reconcile(): Promise<unknown>;
}

/** The lock of a damaged document, when that part of it is intact. */
function lockOf(raw: unknown, minIterations: number): SecretLock | null {
  if (typeof raw !== 'object' || raw === null || !('lock' in raw)) return null;
  const parsed = parseSecretLock(raw.lock, { minIterations });
  return parsed.ok ? parsed.lock : null;
}

export function createBackupHandlers(d: BackupDeps): BackupHandlers {
  /**
   * What to store for a damaged document: as it is while the lock is off; with the lock on, sealed
   * with the session's key when unlocked, else with any plain key blanked (its own lock, which
   * holds the keys sealed, stays in the copy). The fresh document keeps the lock, so the lock
   * stays on with the same passphrase.
   */
  async function backupOf(raw: unknown): Promise<{ backup: unknown; fresh: KeyringState; sealed: boolean }> {
    const lock = lockOf(raw, d.env.lockIterations ?? PBKDF2_ITERATIONS);
    if (!lock) return { backup: raw, fresh: emptyState(), sealed: false };
    const fresh: KeyringState = { ...emptyState(), lock };
    const opened = await d.lockSession.open(fresh);
    if (opened.mode !== 'unlocked') return { backup: withoutPlainSecrets(raw), fresh, sealed: false };
    return { backup: await sealBackup(raw, opened.key, lock.kdf, d.env.crypto), fresh, sealed: true };
  }

  return {
    async resetDamagedState() {
      const result = await d.queue(async () => {
        const loaded = await d.store.load();
        if (loaded.ok)
          throw new MessageFailure({ code: 'not-damaged', message: 'The saved data is fine; nothing was reset.' });
        try {
          const { backup, fresh, sealed } = await backupOf(await d.store.readRaw());
          return { backupKey: await d.store.resetKeepingBackup(d.env.now(), backup, fresh), sealed };
        } catch (err) {
          throw new MessageFailure({
            code: 'storage',
            message: `The browser could not write the backup (${describeError(err)}). Your old data is unchanged.`,
          });
        }
      });
      await d.reconcile();
      return result;
    },
    async listBackups() {
      const backups = await d.store.listBackups();
      return { backups: backups.map((b) => backupInfo(b.savedAt, b.value)) };
    },
    async deleteBackup({ savedAt }) {
      await d.queue(async () => {
        const found = (await d.store.listBackups()).filter((b) => b.savedAt === savedAt);
        if (!found.length) throw new MessageFailure({ code: 'not-found', message: 'That backup is no longer there.' });
        try {
          await d.store.removeBackups(found);
        } catch (err) {
          throw new MessageFailure({
            code: 'storage',
            message: `The browser could not delete the backup (${describeError(err)}). It is still there.`,
          });
        }
      });
      return null;
    },
  };
}
