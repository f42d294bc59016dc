/**
 * Backups of a damaged keyring ("Start again") under the passphrase lock. A backup is the damaged
 * document as it was, so it may hold keys and secrets in plain text; with the lock on, none may
 * stay so in storage.local. A sealed backup is the whole document as JSON, AES-GCM-encrypted with
 * the lock's key, with the lock's salt and iterations beside it, so the passphrase in force when
 * it was sealed opens it (the same PBKDF2 derivation as the lock, core/secret-box.ts). Changing
 * the passphrase re-seals them with the new one (resealBackups), so one passphrase opens everything.
 */
import { deriveKey, fromBase64, open, seal, type CryptoDeps, type SealedBox, type SecretLock } from './secret-box';

export const SEALED_BACKUP_FORMAT = 'os-api-keyring/sealed-backup';
// Its own additional data, so a backup's box cannot be passed off as the lock's, or the reverse.
const AAD = 'os-api-keyring/lock/v1/backup';

export interface SealedBackup {
  format: typeof SEALED_BACKUP_FORMAT;
  version: 1;
  kdf: SecretLock['kdf'];
  cipher: 'AES-GCM';
  box: SealedBox;
}

/** What the options page lists: no content, only when, how big, and whether it is sealed. */
export interface BackupInfo {
  savedAt: number;
  /** UTF-8 bytes of the stored value as JSON (what it costs in storage.local). */
  bytes: number;
  sealed: boolean;
}

export function isSealedBackup(value: unknown): value is SealedBackup {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === SEALED_BACKUP_FORMAT;
}

export function backupInfo(savedAt: number, value: unknown): BackupInfo {
  return {
    savedAt,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed string, but undefined for undefined
    bytes: new TextEncoder().encode(JSON.stringify(value) ?? '').length,
    sealed: isSealedBackup(value),
  };
}

/** Open a sealed backup with the lock's key: the document, or null when the key is not its own. */
export async function openBackup(
  backup: SealedBackup,
  key: CryptoKey,
  subtle: SubtleCrypto,
): Promise<{ document: unknown } | null> {
  const text = await open(backup.box, AAD, key, subtle);
  if (text === null) return null;
  try {
    return { document: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

/**
 * Seal `document` with the lock's key (derived with `kdf`), proven by opening it again: a backup
 * is replaced only by a sealed copy known to open to the same text. An already sealed backup is
 * returned as it is. Throws when the copy does not read back.
 */
export async function sealBackup(
  document: unknown,
  key: CryptoKey,
  kdf: SecretLock['kdf'],
  deps: CryptoDeps,
): Promise<SealedBackup> {
  if (isSealedBackup(document)) return document;
  const text = JSON.stringify(document ?? null);
  const sealed: SealedBackup = {
    format: SEALED_BACKUP_FORMAT,
    version: 1,
    kdf,
    cipher: 'AES-GCM',
    box: await seal(text, AAD, key, deps),
  };
  const back = await open(sealed.box, AAD, key, deps.subtle);
  if (back !== text) throw new Error('the sealed backup did not read back');
  return sealed;
}

/** openBackup, with a damaged box (missing or mistyped fields) read as "does not open". */
export async function openBackupSafely(
  backup: SealedBackup,
  key: CryptoKey,
  subtle: SubtleCrypto,
): Promise<{ document: unknown } | null> {
  try {
    return await openBackup(backup, key, subtle);
  } catch {
    return null;
  }
}

/**
 * Sealed backups re-sealed under a new passphrase's key (changing the passphrase), each opened with
 * the old passphrase under the backup's own salt and iterations, then sealed with `key` and read
 * back (sealBackup). A backup the old passphrase does not open (sealed under an earlier one, or
 * damaged) is left out, so it stays as stored and never blocks the change. Throws only when a
 * re-sealed copy does not read back. `known` is a key the caller already has (the old lock's), used
 * for backups under that lock's salt and iterations instead of deriving it again.
 */
export async function resealBackups<B extends { value: unknown }>(
  backups: readonly B[],
  oldPassphrase: string,
  key: CryptoKey,
  kdf: SecretLock['kdf'],
  deps: CryptoDeps,
  known?: { kdf: SecretLock['kdf']; key: CryptoKey },
): Promise<(Omit<B, 'value'> & { value: SealedBackup })[]> {
  // One derivation per salt and iteration count: PBKDF2 at 600,000 iterations is the slow part.
  const kdfId = (kdf: SecretLock['kdf'] | undefined) => JSON.stringify([kdf?.iterations, kdf?.salt]);
  const oldKeys = new Map<string, Promise<CryptoKey | null>>();
  if (known) oldKeys.set(kdfId(known.kdf), Promise.resolve(known.key));
  const oldKeyFor = (kdf: SecretLock['kdf'] | undefined): Promise<CryptoKey | null> => {
    const id = kdfId(kdf);
    let derived = oldKeys.get(id);
    if (!derived) {
      // A damaged kdf (missing, salt not base64, iterations not a positive integer) makes the
      // derivation throw: that backup simply does not open.
      derived = (async () => deriveKey(oldPassphrase, fromBase64(kdf!.salt)!, kdf!.iterations, deps.subtle))().catch(
        () => null,
      );
      oldKeys.set(id, derived);
    }
    return derived;
  };
  const out: (Omit<B, 'value'> & { value: SealedBackup })[] = [];
  for (const backup of backups) {
    if (!isSealedBackup(backup.value)) continue;
    const oldKey = await oldKeyFor(backup.value.kdf);
    const opened = oldKey && (await openBackupSafely(backup.value, oldKey, deps.subtle));
    if (opened) out.push({ ...backup, value: await sealBackup(opened.document, key, kdf, deps) });
  }
  return out;
}

/**
 * A damaged document kept while the lock is on but locked (no key to seal with): its projects'
 * keys and secrets should be blank already (they are sealed in its own `lock`, which is kept);
 * any that are not are blanked, so no key is stored in plain text.
 */
export function withoutPlainSecrets(document: unknown): unknown {
  if (
    typeof document !== 'object' ||
    document === null ||
    !Array.isArray((document as { projects?: unknown }).projects)
  )
    return document;
  const doc = document as { projects: unknown[] };
  const blank = (p: unknown) =>
    typeof p === 'object' && p !== null
      ? { ...p, ...('key' in p ? { key: '' } : {}), ...('secret' in p ? { secret: '' } : {}) }
      : p;
  return { ...doc, projects: doc.projects.map(blank) };
}
