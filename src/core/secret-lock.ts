/**
 * The lock's transitions, built on secret-box.ts. None of them loses data, because each one
 * proves its result can be opened before the caller replaces anything, and the caller then writes
 * the result in ONE storage write (state and lock together), so a crash leaves either the old or
 * the new data, never half of each:
 * - Enable: seal the current secrets with a key from the new passphrase, open the sealed result
 *   with that key and compare it with the originals; only then are the projects' keys blanked.
 *   If any step fails, the plaintext state is untouched.
 * - Change passphrase: open with the old passphrase (wrong → refused, nothing changed), seal the
 *   same secrets under a new salt and the new passphrase, verify by opening, then swap the lock.
 *   The old lock stays valid until the write that replaces it lands.
 * - Edit while unlocked: reseal with the session key (same salt, fresh IVs), verify, and write the
 *   new lock together with the edited projects.
 * - Disable: open with the passphrase and put the secrets back into the projects.
 * - Forgot passphrase: by design nothing can recover the secrets. `forgetSecrets` drops them and
 *   keeps everything else (names, modes, plans, badges, colours, rule slots); the user pastes the
 *   keys again from the OS Data Hub, where they are always available.
 */
import type { Project } from './project';
import {
  newSalt,
  openSecrets,
  openWithPassphrase,
  PBKDF2_ITERATIONS,
  sealSecrets,
  deriveKeyBytes,
  importKeyBytes,
  type CryptoDeps,
  type ProjectSecrets,
  type SecretLock,
} from './secret-box';

export const MIN_PASSPHRASE_LENGTH = 8;

export type LockFailure = {
  ok: false;
  code: 'wrong-passphrase' | 'damaged' | 'weak-passphrase' | 'verify-failed';
  message: string;
};

/** Why a new passphrase is refused, or null. Length only: a long phrase of words beats rules about symbols. */
export function checkNewPassphrase(passphrase: string): string | null {
  const length = Array.from(passphrase.normalize('NFC')).length;
  return length < MIN_PASSPHRASE_LENGTH
    ? `Use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters (a few words is easiest to remember).`
    : null;
}

/** Every project's key and secret, by id. */
export function secretsOf(projects: readonly Project[]): ProjectSecrets {
  return Object.fromEntries(projects.map((p) => [p.id, { key: p.key, secret: p.secret }]));
}

/** The projects with key and secret blanked: what is stored while locked, or after "forgot passphrase". */
export function stripSecrets(projects: readonly Project[]): Project[] {
  return projects.map((p) => ({ ...p, key: '', secret: '' }));
}

/** "Forgot passphrase": clear the secrets, keep the rest. The caller also deletes the lock. */
export const forgetSecrets = stripSecrets;

/** Put unlocked secrets back into the projects. `missing` lists projects the lock had no secrets for. */
export function restoreSecrets(
  projects: readonly Project[],
  secrets: ProjectSecrets,
): { projects: Project[]; missing: string[] } {
  const missing: string[] = [];
  const restored = projects.map((p) => {
    const s = Object.hasOwn(secrets, p.id) ? secrets[p.id] : undefined;
    if (!s) missing.push(p.id);
    return s ? { ...p, key: s.key, secret: s.secret } : p;
  });
  return { projects: restored, missing };
}

function sameSecrets(a: ProjectSecrets, b: ProjectSecrets): boolean {
  const ids = Object.keys(a);
  return (
    ids.length === Object.keys(b).length &&
    ids.every((id) => Object.hasOwn(b, id) && b[id]?.key === a[id]?.key && b[id]?.secret === a[id]?.secret)
  );
}

const VERIFY_FAILED: LockFailure = {
  ok: false,
  code: 'verify-failed',
  message: 'The keys could not be encrypted and read back, so nothing was changed.',
};

/** Seal under a fresh salt for `passphrase` and prove the result opens to exactly `secrets`. */
async function sealVerified(
  secrets: ProjectSecrets,
  passphrase: string,
  deps: CryptoDeps,
  iterations: number,
): Promise<{ ok: true; lock: SecretLock; key: CryptoKey; keyBytes: Uint8Array<ArrayBuffer> } | LockFailure> {
  try {
    const salt = newSalt(deps);
    const keyBytes = await deriveKeyBytes(passphrase, salt.bytes, iterations, deps.subtle);
    const key = await importKeyBytes(keyBytes, deps.subtle);
    const sealed = await resealSecrets(
      await sealSecrets(secrets, key, { iterations, salt: salt.base64 }, deps),
      key,
      secrets,
      deps,
    );
    return sealed.ok ? { ...sealed, keyBytes } : sealed;
  } catch {
    return VERIFY_FAILED;
  }
}

/**
 * Turn the lock on: returns the lock, the session key and the projects to store (secrets blanked).
 * `iterations` is for tests only; the extension always uses {@link PBKDF2_ITERATIONS}.
 */
export async function enableLock(
  projects: readonly Project[],
  passphrase: string,
  deps: CryptoDeps,
  iterations = PBKDF2_ITERATIONS,
): Promise<
  { ok: true; lock: SecretLock; key: CryptoKey; keyBytes: Uint8Array<ArrayBuffer>; projects: Project[] } | LockFailure
> {
  const weak = checkNewPassphrase(passphrase);
  if (weak) return { ok: false, code: 'weak-passphrase', message: weak };
  const sealed = await sealVerified(secretsOf(projects), passphrase, deps, iterations);
  return sealed.ok ? { ...sealed, projects: stripSecrets(projects) } : sealed;
}

/**
 * Open with the old passphrase, seal with the new one under a new salt, verify; the caller swaps the lock.
 * `oldKey` is the old lock's key, so that what was sealed with it (backups) is opened without a second PBKDF2.
 */
export async function changePassphrase(
  lock: SecretLock,
  oldPassphrase: string,
  newPassphrase: string,
  deps: CryptoDeps,
  iterations = PBKDF2_ITERATIONS,
): Promise<
  { ok: true; lock: SecretLock; key: CryptoKey; keyBytes: Uint8Array<ArrayBuffer>; oldKey: CryptoKey } | LockFailure
> {
  const weak = checkNewPassphrase(newPassphrase);
  if (weak) return { ok: false, code: 'weak-passphrase', message: weak };
  const opened = await openWithPassphrase(lock, oldPassphrase, deps.subtle);
  if (!opened.ok) return opened;
  const sealed = await sealVerified(opened.secrets, newPassphrase, deps, iterations);
  return sealed.ok ? { ...sealed, oldKey: opened.key } : sealed;
}

/**
 * Re-seal (after an edit while unlocked) with the session key: same salt and iterations, fresh
 * IVs. Verified by opening, so a failure leaves the stored lock as it was.
 */
export async function resealSecrets(
  lock: SecretLock,
  key: CryptoKey,
  secrets: ProjectSecrets,
  deps: CryptoDeps,
): Promise<{ ok: true; lock: SecretLock; key: CryptoKey } | LockFailure> {
  try {
    const next = await sealSecrets(secrets, key, lock.kdf, deps);
    const check = await openSecrets(next, key, deps.subtle);
    return check.ok && sameSecrets(check.secrets, secrets) ? { ok: true, lock: next, key } : VERIFY_FAILED;
  } catch {
    return VERIFY_FAILED;
  }
}

/** Turn the lock off: the projects with their secrets back. The caller stores them and deletes the lock in one write. */
export async function disableLock(
  lock: SecretLock,
  passphrase: string,
  projects: readonly Project[],
  subtle: SubtleCrypto,
): Promise<{ ok: true; projects: Project[]; missing: string[] } | LockFailure> {
  const opened = await openWithPassphrase(lock, passphrase, subtle);
  if (!opened.ok) return opened;
  return { ok: true, ...restoreSecrets(projects, opened.secrets) };
}
