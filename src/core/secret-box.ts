/**
 * Passphrase encryption of keys and secrets at rest: PBKDF2-SHA-256 (600,000 iterations, the
 * OWASP 2023 figure) derives an AES-GCM 256 key; all secrets are sealed together in one blob.
 * WebCrypto is passed in (`subtle`, `randomBytes`) like the clock, so core touches no globals and
 * tests use Node's WebCrypto. The transitions built on this (enable, change, disable, forget)
 * are in secret-lock.ts.
 */
import * as v from 'valibot';

/** PBKDF2 iterations for every lock the extension creates. Smaller counts exist only in tests, for speed. */
export const PBKDF2_ITERATIONS = 600_000;
export const LOCK_VERSION = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12; // the size AES-GCM is specified for; any other size is hashed down
/** Opening a lock with more iterations than this would freeze the worker for minutes: treat as damaged. */
const MAX_ITERATIONS = 10_000_000;

/** WebCrypto, passed in. */
export interface CryptoDeps {
  subtle: SubtleCrypto;
  randomBytes: (n: number) => Uint8Array<ArrayBuffer>;
}

/** One AES-GCM encryption: its IV and the ciphertext with the 16-byte tag, both base64. */
export interface SealedBox {
  iv: string;
  data: string;
}

/** What is stored while the lock is on. Projects in the state keep `key: ''` and `secret: ''`. */
export interface SecretLock {
  version: typeof LOCK_VERSION;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: 'AES-GCM';
  /**
   * A fixed text sealed with the same key. It opens exactly when the passphrase is right, so a
   * wrong passphrase ("Wrong passphrase") is told apart from damaged `sealed` data.
   */
  check: SealedBox;
  /** `{ "secrets": [{ id, key, secret }, …] }` as JSON, sealed (a list, so no project id can clash with an object's own names). */
  sealed: SealedBox;
}

/** Keys and secrets by project id: the plaintext that the lock protects. */
export type ProjectSecrets = Record<string, { key: string; secret: string }>;

export type OpenResult =
  { ok: true; secrets: ProjectSecrets } | { ok: false; code: 'wrong-passphrase' | 'damaged'; message: string };

export const WRONG_PASSPHRASE = 'Wrong passphrase. Check it and try again (it is case-sensitive).';
const DAMAGED =
  'The locked keys are damaged and cannot be opened. Your passphrase is right; use “Forgot passphrase” to clear the keys and enter them again.';

const CHECK_TEXT = 'os-api-keyring lock check';
// Additional data binds each box to its role, so the check box cannot be swapped in for the data.
const AAD = { check: 'os-api-keyring/lock/v1/check', sealed: 'os-api-keyring/lock/v1/secrets' } as const;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Bytes as base64 (chunked: `String.fromCharCode(...big)` would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** base64 to bytes; null when the text is not base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * The AES-GCM 256 key for a passphrase. Non-extractable: once derived, even code in the extension
 * cannot read it out. The passphrase is NFC-normalised so the same words typed on a system that
 * composes accents differently still open the lock.
 */
export async function deriveKey(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  subtle: SubtleCrypto,
): Promise<CryptoKey> {
  return importKeyBytes(await deriveKeyBytes(passphrase, salt, iterations, subtle), subtle);
}

/**
 * The same AES-GCM 256 key as raw bytes (PBKDF2 deriveBits of 256 bits, which is exactly what
 * deriveKey computes). The background keeps these only in `storage.session` (memory, never disk)
 * so that an unlocked session survives the service worker sleeping, and can re-seal after edits.
 */
export async function deriveKeyBytes(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  subtle: SubtleCrypto,
): Promise<Uint8Array<ArrayBuffer>> {
  const material = await subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 256));
}

/** Raw key bytes as a non-extractable AES-GCM key. */
export function importKeyBytes(bytes: Uint8Array<ArrayBuffer>, subtle: SubtleCrypto): Promise<CryptoKey> {
  return subtle.importKey('raw', bytes, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** A fresh salt for a new passphrase, as bytes (for deriveKey) and base64 (for storage). */
export function newSalt(deps: Pick<CryptoDeps, 'randomBytes'>): { bytes: Uint8Array<ArrayBuffer>; base64: string } {
  const bytes = deps.randomBytes(SALT_BYTES);
  return { bytes, base64: toBase64(bytes) };
}

/** AES-GCM-encrypt `plaintext` with `aad` bound to it (also used for sealed backups, core/sealed-backup.ts). */
export async function seal(plaintext: string, aad: string, key: CryptoKey, deps: CryptoDeps): Promise<SealedBox> {
  // A fresh IV for every encryption: reusing one with the same key breaks AES-GCM completely.
  const iv = deps.randomBytes(IV_BYTES);
  const data = await deps.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(aad) }, key, utf8(plaintext));
  return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** The plaintext, or null when the tag does not verify (wrong key or altered data). */
export async function open(box: SealedBox, aad: string, key: CryptoKey, subtle: SubtleCrypto): Promise<string | null> {
  const iv = fromBase64(box.iv);
  const data = fromBase64(box.data);
  if (!iv || !data || iv.length !== IV_BYTES) return null;
  try {
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: utf8(aad) }, key, data);
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return null;
  }
}

/** Seal `secrets` with `key` (derived with `kdf`) into a storable lock. */
export async function sealSecrets(
  secrets: ProjectSecrets,
  key: CryptoKey,
  kdf: { iterations: number; salt: string },
  deps: CryptoDeps,
): Promise<SecretLock> {
  return {
    version: LOCK_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: kdf.iterations, salt: kdf.salt },
    cipher: 'AES-GCM',
    check: await seal(CHECK_TEXT, AAD.check, key, deps),
    sealed: await seal(
      JSON.stringify({ secrets: Object.entries(secrets).map(([id, s]) => ({ id, key: s.key, secret: s.secret })) }),
      AAD.sealed,
      key,
      deps,
    ),
  };
}

const SecretsSchema = v.object({ secrets: v.array(v.object({ id: v.string(), key: v.string(), secret: v.string() })) });

/** Open a lock with a derived key: the secrets, "Wrong passphrase", or damaged. */
export async function openSecrets(lock: SecretLock, key: CryptoKey, subtle: SubtleCrypto): Promise<OpenResult> {
  if ((await open(lock.check, AAD.check, key, subtle)) !== CHECK_TEXT)
    return { ok: false, code: 'wrong-passphrase', message: WRONG_PASSPHRASE };
  const plain = await open(lock.sealed, AAD.sealed, key, subtle);
  if (plain === null) return { ok: false, code: 'damaged', message: DAMAGED };
  try {
    const parsed = v.safeParse(SecretsSchema, JSON.parse(plain));
    if (!parsed.success) return { ok: false, code: 'damaged', message: DAMAGED };
    // Object.fromEntries defines own properties, so even an id like "__proto__" round-trips.
    return {
      ok: true,
      secrets: Object.fromEntries(parsed.output.secrets.map((s) => [s.id, { key: s.key, secret: s.secret }])),
    };
  } catch {
    return { ok: false, code: 'damaged', message: DAMAGED };
  }
}

/** Derive the key from the lock's own salt and iterations and open it. Also returns the raw key bytes (for session memory only). */
export async function openWithPassphrase(
  lock: SecretLock,
  passphrase: string,
  subtle: SubtleCrypto,
): Promise<
  | { ok: true; key: CryptoKey; keyBytes: Uint8Array<ArrayBuffer>; secrets: ProjectSecrets }
  | Exclude<OpenResult, { ok: true }>
> {
  const salt = fromBase64(lock.kdf.salt);
  if (!salt) return { ok: false, code: 'damaged', message: DAMAGED };
  const keyBytes = await deriveKeyBytes(passphrase, salt, lock.kdf.iterations, subtle);
  const key = await importKeyBytes(keyBytes, subtle);
  const opened = await openSecrets(lock, key, subtle);
  return opened.ok ? { ok: true, key, keyBytes, secrets: opened.secrets } : opened;
}

const base64 = (minBytes: number) =>
  v.pipe(
    v.string(),
    v.regex(/^[A-Za-z0-9+/]*={0,2}$/),
    v.check((s) => (fromBase64(s)?.length ?? 0) >= minBytes),
  );
export const BoxSchema = v.object({ iv: base64(IV_BYTES), data: base64(16) });

/**
 * Validate a stored lock (stored data is untrusted). `minIterations` stays at the real count in
 * the extension, so a lock weakened by a hand edit or a test build is refused, not silently used.
 */
export function parseSecretLock(
  raw: unknown,
  { minIterations = PBKDF2_ITERATIONS } = {},
): { ok: true; lock: SecretLock } | { ok: false; error: string } {
  const schema = v.object({
    version: v.literal(LOCK_VERSION),
    kdf: v.object({
      name: v.literal('PBKDF2'),
      hash: v.literal('SHA-256'),
      iterations: v.pipe(v.number(), v.integer(), v.minValue(minIterations), v.maxValue(MAX_ITERATIONS)),
      salt: base64(SALT_BYTES),
    }),
    cipher: v.literal('AES-GCM'),
    check: BoxSchema,
    sealed: BoxSchema,
  });
  const result = v.safeParse(schema, raw);
  if (result.success) return { ok: true, lock: result.output };
  const path = result.issues[0].path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, error: `The stored lock is damaged${path ? ` (${path})` : ''}.` };
}
