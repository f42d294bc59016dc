/**
 * The text "Recover projects" imports from a backup of damaged data: the backup opened (with the
 * session key when it is sealed), then its projects as an import file (core/backup-recovery.ts).
 * The text stays in the background: the options page sees only the import preview, without keys.
 */
import { backupImportText } from '../core/backup-recovery';
import { isSealedBackup, openBackupSafely } from '../core/sealed-backup';
import { openSecrets, parseSecretLock, PBKDF2_ITERATIONS, type ProjectSecrets } from '../core/secret-box';
import { MessageFailure } from '../lib/messaging';
import { LOCKED_MESSAGE, type OpenedState } from './lock-session';
import type { StoredBackup } from './state-store';

export async function backupRecoveryText(
  opened: OpenedState,
  backups: readonly StoredBackup[],
  savedAt: number,
  deps: { subtle: SubtleCrypto; minIterations?: number },
): Promise<string> {
  // Recovered projects are imported with their keys, which needs the lock open (as any import does).
  if (opened.mode === 'locked') throw new MessageFailure({ code: 'locked', message: LOCKED_MESSAGE });
  const found = backups.find((b) => b.savedAt === savedAt);
  if (!found) throw new MessageFailure({ code: 'not-found', message: 'That backup is no longer there.' });
  let document = found.value;
  if (isSealedBackup(document)) {
    const inside = opened.mode === 'unlocked' ? await openBackupSafely(document, opened.key, deps.subtle) : null;
    if (!inside)
      throw new MessageFailure({
        code: 'sealed-elsewhere',
        message:
          'This backup is sealed, and the lock in use does not open it: it was sealed under a lock since turned off, or it is damaged. Nothing was changed.',
      });
    document = inside.document;
  }
  const text = backupImportText(document, await ownSecrets(document, opened, deps));
  if (text === null)
    throw new MessageFailure({
      code: 'invalid',
      message: 'This backup holds no list of projects, so there is nothing to recover.',
    });
  return text;
}

/** A copy made while locked keeps its keys sealed in its own lock: opened with the session key when it is the same lock. */
async function ownSecrets(
  document: unknown,
  opened: OpenedState,
  deps: { subtle: SubtleCrypto; minIterations?: number },
): Promise<ProjectSecrets> {
  if (opened.mode !== 'unlocked' || typeof document !== 'object' || document === null || !('lock' in document))
    return {};
  const parsed = parseSecretLock(document.lock, { minIterations: deps.minIterations ?? PBKDF2_ITERATIONS });
  if (!parsed.ok) return {};
  const result = await openSecrets(parsed.lock, opened.key, deps.subtle);
  return result.ok ? result.secrets : {};
}
