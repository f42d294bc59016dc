import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deriveKey,
  fromBase64,
  openSecrets,
  openWithPassphrase,
  parseSecretLock,
  PBKDF2_ITERATIONS,
  sealSecrets,
  toBase64,
  WRONG_PASSPHRASE,
  type ProjectSecrets,
  type SecretLock,
} from './secret-box';
import { FAST_ITERATIONS, nodeCrypto } from './webcrypto.test-helpers';

const { subtle } = nodeCrypto;
const FAST = FAST_ITERATIONS;
const SALT = new Uint8Array(16).fill(7);
const SECRETS: ProjectSecrets = {
  'id-live': { key: 'LIVEKEYabc123XYZ', secret: 'S3cr3t!Value' },
  'id-dev': { key: 'DEVKEYdef456', secret: '' },
};
const kdf = { iterations: FAST, salt: toBase64(SALT) };

let key: CryptoKey;
let lock: SecretLock;
beforeAll(async () => {
  key = await deriveKey('correct horse battery', SALT, FAST, subtle);
  lock = await sealSecrets(SECRETS, key, kdf, nodeCrypto);
});

/**
 * A lock built with WebCrypto alone from the format's constants (check text, additional data per
 * box, 12-byte IVs), not with sealSecrets: opening it proves the format, not just a round trip.
 */
async function lockMadeByHand(
  sealedPlaintext: string | Uint8Array<ArrayBuffer>,
  sealedIvBytes = 12,
): Promise<SecretLock> {
  const box = async (aad: string, plaintext: Uint8Array<ArrayBuffer>, ivLength = 12) => {
    const iv = nodeCrypto.randomBytes(ivLength);
    const data = await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) },
      key,
      plaintext,
    );
    return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
  };
  const bytes = typeof sealedPlaintext === 'string' ? new TextEncoder().encode(sealedPlaintext) : sealedPlaintext;
  return {
    ...lock,
    check: await box('os-api-keyring/lock/v1/check', new TextEncoder().encode('os-api-keyring lock check')),
    sealed: await box('os-api-keyring/lock/v1/secrets', bytes, sealedIvBytes),
  };
}

/** Flip one bit of a base64 field. */
function flip(b64: string, index = 0): string {
  const bytes = fromBase64(b64) ?? new Uint8Array(0);
  bytes[index] = (bytes[index] ?? 0) ^ 1;
  return toBase64(bytes);
}

describe('deriveKey', () => {
  it('uses at least 600,000 PBKDF2 iterations for real locks', () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
  });

  it('gives a non-extractable AES-GCM 256 key for encrypting and decrypting only', async () => {
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toEqual({ name: 'AES-GCM', length: 256 });
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt']);
    await expect(subtle.exportKey('raw', key)).rejects.toThrow();
  });

  it('at the real iteration count, derives a key that opens what it sealed', async () => {
    const started = performance.now(); // eslint-disable-line no-restricted-globals -- timing the test itself, not core logic
    const real = await deriveKey('correct horse battery', SALT, PBKDF2_ITERATIONS, subtle);
    const realLock = await sealSecrets(
      SECRETS,
      real,
      { iterations: PBKDF2_ITERATIONS, salt: toBase64(SALT) },
      nodeCrypto,
    );
    expect(await openWithPassphrase(realLock, 'correct horse battery', subtle)).toMatchObject({
      ok: true,
      secrets: SECRETS,
    });
    expect(await openWithPassphrase(realLock, 'correct horse batterY', subtle)).toMatchObject({
      ok: false,
      code: 'wrong-passphrase',
    });
    expect(performance.now() - started).toBeLessThan(20_000); // eslint-disable-line no-restricted-globals -- as above
  }, 30_000);

  it('derives the same key as deriving the bytes and importing them (the session keeps the bytes)', async () => {
    const direct = await deriveKey('correct horse battery', SALT, FAST, subtle);
    expect(await openSecrets(lock, direct, subtle)).toEqual({ ok: true, secrets: SECRETS });
    const other = await deriveKey('correct horse battery', new Uint8Array(16).fill(8), FAST, subtle);
    expect(await openSecrets(lock, other, subtle)).toMatchObject({ ok: false, code: 'wrong-passphrase' });
  });

  it('treats composed and decomposed accents as the same passphrase (NFC)', async () => {
    const composed = await sealSecrets(
      SECRETS,
      await deriveKey('caf\u00e9 au lait', SALT, FAST, subtle),
      kdf,
      nodeCrypto,
    );
    expect(await openWithPassphrase(composed, 'cafe\u0301 au lait', subtle)).toMatchObject({ ok: true });
  });
});

describe('sealSecrets / openSecrets', () => {
  it('round-trips the secrets and records the format', async () => {
    expect(lock).toMatchObject({
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: FAST, salt: toBase64(SALT) },
      cipher: 'AES-GCM',
    });
    expect(await openSecrets(lock, key, subtle)).toEqual({ ok: true, secrets: SECRETS });
    expect(await openWithPassphrase(lock, 'correct horse battery', subtle)).toMatchObject({
      ok: true,
      secrets: SECRETS,
    });
  });

  it('says "Wrong passphrase" for a wrong passphrase, rather than returning garbage', async () => {
    expect(await openWithPassphrase(lock, 'Correct horse battery', subtle)).toEqual({
      ok: false,
      code: 'wrong-passphrase',
      message: WRONG_PASSPHRASE,
    });
    expect(WRONG_PASSPHRASE).toMatch(/^Wrong passphrase/);
  });

  it.each([
    [
      'a bit of the sealed data',
      'damaged',
      (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, data: flip(l.sealed.data, 3) } }),
    ],
    [
      'the tag at the end of the sealed data',
      'damaged',
      (l: SecretLock) => ({
        ...l,
        sealed: { ...l.sealed, data: flip(l.sealed.data, (fromBase64(l.sealed.data)?.length ?? 1) - 1) },
      }),
    ],
    ['the sealed IV', 'damaged', (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, iv: flip(l.sealed.iv) } })],
    [
      'the sealed data truncated',
      'damaged',
      (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, data: l.sealed.data.slice(0, 8) } }),
    ],
    ['the sealed data not base64', 'damaged', (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, data: '!!!' } })],
    ['the check box swapped in for the data', 'damaged', (l: SecretLock) => ({ ...l, sealed: l.check })],
    [
      'the check box',
      'wrong-passphrase',
      (l: SecretLock) => ({ ...l, check: { ...l.check, data: flip(l.check.data) } }),
    ],
    ['the salt', 'wrong-passphrase', (l: SecretLock) => ({ ...l, kdf: { ...l.kdf, salt: flip(l.kdf.salt) } })],
    ['the iteration count', 'wrong-passphrase', (l: SecretLock) => ({ ...l, kdf: { ...l.kdf, iterations: FAST + 1 } })],
  ])('detects tampering with %s → %s', async (_label, code, tamper) => {
    expect(await openWithPassphrase(tamper(lock), 'correct horse battery', subtle)).toMatchObject({
      ok: false,
      code,
      message: expect.any(String),
    });
  });

  it('binds each box to its role: a box sealed as the check never opens as the secrets, even holding well-formed secrets', async () => {
    // Well-formed plaintext in both boxes, so only the additional data can tell the roles apart.
    const box = async (aad: string, plaintext: string) => {
      const iv = nodeCrypto.randomBytes(12);
      const data = await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) },
        key,
        new TextEncoder().encode(plaintext),
      );
      return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
    };
    const secretsJson = JSON.stringify({ secrets: [{ id: 'x', key: 'SWAPPED', secret: '' }] });
    const asCheck = await box('os-api-keyring/lock/v1/check', secretsJson);
    expect(await openSecrets({ ...lock, sealed: asCheck }, key, subtle)).toMatchObject({ ok: false, code: 'damaged' });
    const checkAsSecrets = await box('os-api-keyring/lock/v1/secrets', 'os-api-keyring lock check');
    expect(await openSecrets({ ...lock, check: checkAsSecrets }, key, subtle)).toMatchObject({
      ok: false,
      code: 'wrong-passphrase',
    });
    // The same boxes under their own roles do open, so the refusals above are the roles' doing.
    expect(
      await openSecrets({ ...lock, sealed: await box('os-api-keyring/lock/v1/secrets', secretsJson) }, key, subtle),
    ).toEqual({ ok: true, secrets: { x: { key: 'SWAPPED', secret: '' } } });
  });

  it('opens a lock whose boxes were made with WebCrypto directly, following the documented format (the stored format is stable)', async () => {
    const made = lockMadeByHand(JSON.stringify({ secrets: [{ id: 'p', key: 'HANDKEY', secret: 'HandSecret' }] }));
    expect(await openSecrets(await made, key, subtle)).toEqual({
      ok: true,
      secrets: { p: { key: 'HANDKEY', secret: 'HandSecret' } },
    });
  });

  it.each([
    ['plaintext that is not JSON', new TextEncoder().encode('not json at all')],
    // Invalid UTF-8 inside a JSON string: read leniently it would become U+FFFD and open as a project id.
    [
      'plaintext that is not valid UTF-8',
      Uint8Array.from([
        ...new TextEncoder().encode('{"secrets":[{"id":"'),
        0xff,
        ...new TextEncoder().encode('","key":"K","secret":""}]}'),
      ]),
    ],
  ])('reports well-encrypted %s as damaged, with the advice to use Forgot passphrase', async (_label, plaintext) => {
    const made = await lockMadeByHand(plaintext);
    expect(await openSecrets(made, key, subtle)).toEqual({
      ok: false,
      code: 'damaged',
      message: expect.stringMatching(/^The locked keys are damaged .* use “Forgot passphrase”/),
    });
  });

  it('refuses a box whose IV is not 12 bytes, even when it decrypts', async () => {
    const made = await lockMadeByHand(JSON.stringify({ secrets: [] }), 16);
    expect(await openSecrets(made, key, subtle)).toMatchObject({ ok: false, code: 'damaged' });
  });

  it('refuses (never throws) a box whose IV is not base64', async () => {
    expect(await openSecrets({ ...lock, sealed: { ...lock.sealed, iv: '!!!' } }, key, subtle)).toMatchObject({
      ok: false,
      code: 'damaged',
    });
    expect(await openSecrets({ ...lock, check: { ...lock.check, iv: '!!!' } }, key, subtle)).toMatchObject({
      ok: false,
      code: 'wrong-passphrase',
    });
  });

  it('a salt that is not base64 is damage, not a wrong passphrase (and never throws)', async () => {
    expect(
      await openWithPassphrase({ ...lock, kdf: { ...lock.kdf, salt: '!!!' } }, 'correct horse battery', subtle),
    ).toEqual({
      ok: false,
      code: 'damaged',
      message: expect.stringMatching(/^The locked keys are damaged and cannot be opened\. Your passphrase is right/),
    });
  });

  it('reports well-encrypted plaintext of the wrong shape as damaged', async () => {
    const iv = nodeCrypto.randomBytes(12);
    const data = await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('os-api-keyring/lock/v1/secrets') },
      key,
      new TextEncoder().encode('{"secrets":[{"id":"a","key":1}]}'),
    );
    expect(
      await openSecrets({ ...lock, sealed: { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) } }, key, subtle),
    ).toMatchObject({ ok: false, code: 'damaged' });
  });

  it('uses a fresh IV for every encryption', async () => {
    const again = await sealSecrets(SECRETS, key, kdf, nodeCrypto);
    const ivs = [lock.check.iv, lock.sealed.iv, again.check.iv, again.sealed.iv];
    expect(new Set(ivs).size).toBe(4);
    expect(again.sealed.data).not.toBe(lock.sealed.data);
    expect(ivs.map((iv) => fromBase64(iv)?.length)).toEqual([12, 12, 12, 12]);
  });

  it('stores no plaintext key, secret or project id', () => {
    const stored = JSON.stringify(lock);
    for (const [id, s] of Object.entries(SECRETS)) {
      for (const text of [id, s.key, s.secret].filter(Boolean)) {
        expect(stored).not.toContain(text);
        const bytes = new TextDecoder('latin1').decode(fromBase64(lock.sealed.data) ?? new Uint8Array(0));
        expect(bytes).not.toContain(text);
      }
    }
  });

  it('round-trips any secrets (property)', async () => {
    const idArb = fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('__proto__', 'constructor', 'toString'));
    const secretsArb = fc.dictionary(idArb, fc.record({ key: fc.string(), secret: fc.string({ unit: 'grapheme' }) }));
    await fc.assert(
      fc.asyncProperty(secretsArb, async (secrets) => {
        const sealed = await sealSecrets(secrets, key, kdf, nodeCrypto);
        expect(await openSecrets(sealed, key, subtle)).toEqual({ ok: true, secrets });
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseSecretLock (stored data is untrusted)', () => {
  it('accepts a stored lock after a JSON round trip', () => {
    expect(parseSecretLock(JSON.parse(JSON.stringify(lock)), { minIterations: FAST })).toEqual({ ok: true, lock });
  });

  it.each([
    ['fewer iterations than the real count', (l: SecretLock) => l, undefined, /kdf\.iterations/],
    [
      'an absurd iteration count',
      (l: SecretLock) => ({ ...l, kdf: { ...l.kdf, iterations: 1e9 } }),
      1,
      /kdf\.iterations/,
    ],
    ['another version', (l: SecretLock) => ({ ...l, version: 2 }), 1, /version/],
    ['another cipher', (l: SecretLock) => ({ ...l, cipher: 'AES-CBC' }), 1, /cipher/],
    [
      'a short salt',
      (l: SecretLock) => ({ ...l, kdf: { ...l.kdf, salt: toBase64(new Uint8Array(4)) } }),
      1,
      /kdf\.salt/,
    ],
    [
      'an IV that is not base64',
      (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, iv: 'not base64!' } }),
      1,
      /sealed\.iv/,
    ],
    ['no check box', (l: SecretLock) => ({ ...l, check: undefined }), 1, /check/],
    [
      'an IV with white space before it (atob would skip it)',
      (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, iv: ` ${l.sealed.iv}` } }),
      1,
      /sealed\.iv/,
    ],
    [
      'an IV with a line break after it',
      (l: SecretLock) => ({ ...l, sealed: { ...l.sealed, iv: `${l.sealed.iv}\n` } }),
      1,
      /sealed\.iv/,
    ],
  ])('refuses %s', (_label, change, minIterations, path) => {
    const result = parseSecretLock(change(lock), minIterations === undefined ? {} : { minIterations });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(path) });
  });

  it('names no field when the stored value is not an object at all', () => {
    expect(parseSecretLock(null)).toEqual({ ok: false, error: 'The stored lock is damaged.' });
  });

  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => void parseSecretLock(raw)),
      { numRuns: 300 },
    );
  });
});

describe('base64', () => {
  it('round-trips any bytes, including more than one chunk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(fromBase64(toBase64(bytes))).toEqual(bytes);
      }),
    );
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
    expect(fromBase64(toBase64(big))).toEqual(big);
  });

  it('gives null for text that is not base64', () => {
    expect(fromBase64('a')).toBeNull();
    expect(fromBase64('€€')).toBeNull();
  });
});
