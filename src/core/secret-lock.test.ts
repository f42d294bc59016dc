import { describe, expect, it } from 'vitest';
import { project } from './fixtures.test-helpers';
import { openSecrets, openWithPassphrase, PBKDF2_ITERATIONS, type CryptoDeps } from './secret-box';
import {
  changePassphrase,
  checkNewPassphrase,
  disableLock,
  enableLock,
  forgetSecrets,
  resealSecrets,
  restoreSecrets,
  secretsOf,
  stripSecrets,
} from './secret-lock';
import { FAST_ITERATIONS as FAST, nodeCrypto } from './webcrypto.test-helpers';

const { subtle } = nodeCrypto;
const projects = [
  project({ id: 'a', name: 'Live', key: 'LIVEKEY0001', secret: 'LiveSecret!', authMode: 'oauth', ruleSlot: 0 }),
  project({ id: 'b', name: 'Dev', key: 'DEVKEY0002', ruleSlot: 1 }),
];
const PASS = 'correct horse battery';

/**
 * Node's WebCrypto with some methods replaced, counting calls. Every method is bound to the real
 * SubtleCrypto (an `Object.create(subtle)` stub would throw "Value of this must be of type
 * SubtleCrypto" at the first call and never reach the step under test).
 */
function cryptoWith(overrides: Partial<Pick<SubtleCrypto, 'encrypt' | 'decrypt'>>) {
  const calls = { deriveBits: 0, encrypt: 0, decrypt: 0 };
  const counted =
    <A extends unknown[], R>(name: keyof typeof calls, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls[name]++;
      return fn(...args);
    };
  const real = {
    importKey: subtle.importKey.bind(subtle),
    deriveBits: counted('deriveBits', subtle.deriveBits.bind(subtle)),
    encrypt: counted('encrypt', overrides.encrypt ?? subtle.encrypt.bind(subtle)),
    decrypt: counted('decrypt', overrides.decrypt ?? subtle.decrypt.bind(subtle)),
  };
  const deps: CryptoDeps = { ...nodeCrypto, subtle: real as unknown as SubtleCrypto };
  return { deps, calls };
}

/** An encrypt that seals `{ "secrets": [] }` in place of the secrets box's real plaintext (a correct box, wrong content). */
const sealingOtherSecrets: SubtleCrypto['encrypt'] = (algorithm, key, data) => {
  const aad = new TextDecoder().decode((algorithm as AesGcmParams).additionalData);
  const plain = aad.endsWith('/secrets') ? new TextEncoder().encode('{"secrets":[]}') : data;
  return subtle.encrypt(algorithm, key, plain);
};

type SealedEntry = { id: string; key: string; secret: string };
/** An encrypt that seals the secrets box's real plaintext after `alter` has changed it (same number of projects). */
const sealingAltered =
  (alter: (entries: SealedEntry[]) => void): SubtleCrypto['encrypt'] =>
  (algorithm, key, data) => {
    const aad = new TextDecoder().decode((algorithm as AesGcmParams).additionalData);
    if (!aad.endsWith('/secrets')) return subtle.encrypt(algorithm, key, data);
    const plain = JSON.parse(new TextDecoder().decode(data)) as { secrets: SealedEntry[] };
    alter(plain.secrets);
    return subtle.encrypt(algorithm, key, new TextEncoder().encode(JSON.stringify(plain)));
  };

async function enabled() {
  const result = await enableLock(projects, PASS, nodeCrypto, FAST);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('project helpers', () => {
  it('secretsOf / stripSecrets / restoreSecrets round-trip the projects', () => {
    const stripped = stripSecrets(projects);
    expect(stripped.map((p) => [p.key, p.secret])).toEqual([
      ['', ''],
      ['', ''],
    ]);
    expect(stripped).toEqual(projects.map((p) => ({ ...p, key: '', secret: '' })));
    expect(restoreSecrets(stripped, secretsOf(projects))).toEqual({ projects, missing: [] });
  });

  it('restoreSecrets lists projects the lock has nothing for, and ignores inherited names', () => {
    const extra = project({ id: 'constructor', name: 'New', key: '', ruleSlot: 2 });
    expect(restoreSecrets([...stripSecrets(projects), extra], secretsOf(projects)).missing).toEqual(['constructor']);
  });

  it('forgetSecrets ("forgot passphrase") clears only keys and secrets', () => {
    expect(forgetSecrets(projects)).toEqual(stripSecrets(projects));
  });

  it.each([
    ['short', 'Use a passphrase of at least 8 characters (a few words is easiest to remember).'],
    ['☃☃☃☃☃☃☃', expect.stringMatching(/at least 8/)],
    ['eight ch', null],
    ['☃☃☃☃☃☃☃☃', null],
  ])('checkNewPassphrase(%j)', (passphrase, expected) => expect(checkNewPassphrase(passphrase)).toEqual(expected));
});

describe('enableLock', () => {
  it('seals every secret, returns projects with secrets blanked, and the lock opens with the passphrase', async () => {
    const result = await enabled();
    expect(result.projects).toEqual(stripSecrets(projects));
    expect(result.key.extractable).toBe(false);
    expect(await openWithPassphrase(result.lock, PASS, subtle)).toMatchObject({
      ok: true,
      secrets: secretsOf(projects),
    });
    expect(JSON.stringify(result.lock)).not.toMatch(/LIVEKEY|DEVKEY|LiveSecret/);
  });

  it('uses the real iteration count unless a test asks for fewer', async () => {
    const result = await enableLock(projects.slice(1), PASS, nodeCrypto);
    expect(result.ok && result.lock.kdf.iterations).toBe(PBKDF2_ITERATIONS);
  }, 30_000);

  it('uses a fresh salt each time', async () => {
    const [one, two] = await Promise.all([enabled(), enabled()]);
    expect(one.lock.kdf.salt).not.toBe(two.lock.kdf.salt);
    expect(one.lock.sealed.data).not.toBe(two.lock.sealed.data);
  });

  it('refuses a short passphrase, changing nothing', async () => {
    expect(await enableLock(projects, 'short', nodeCrypto, FAST)).toMatchObject({ ok: false, code: 'weak-passphrase' });
  });

  it('refuses (never throws, never blanks the keys) when the sealed result cannot be read back', async () => {
    // Key derivation and encryption really work; only the read-back (decrypt) fails, so the
    // refusal can only come from the read-back step.
    const broken = cryptoWith({ decrypt: () => Promise.reject(new Error('boom')) });
    expect(await enableLock(projects, PASS, broken.deps, FAST)).toEqual({
      ok: false,
      code: 'verify-failed',
      message: expect.stringMatching(/nothing was changed/),
    });
    expect(broken.calls).toEqual({ deriveBits: 1, encrypt: 4, decrypt: 1 });
    const throwing: CryptoDeps = {
      ...nodeCrypto,
      randomBytes: () => {
        throw new Error('no entropy');
      },
    };
    expect(await enableLock(projects, PASS, throwing, FAST)).toMatchObject({ ok: false, code: 'verify-failed' });
  });

  it('refuses when the sealed result opens to other secrets than were given', async () => {
    const tampered = cryptoWith({ encrypt: sealingOtherSecrets });
    expect(await enableLock(projects, PASS, tampered.deps, FAST)).toMatchObject({ ok: false, code: 'verify-failed' });
    expect(tampered.calls.decrypt).toBe(2);
  });
});

describe('changePassphrase', () => {
  it('re-seals under a new salt: the new passphrase opens it, the old one no longer does', async () => {
    const { lock } = await enabled();
    const changed = await changePassphrase(lock, PASS, 'a brand new phrase', nodeCrypto, FAST);
    if (!changed.ok) throw new Error(changed.message);
    expect(changed.lock.kdf.salt).not.toBe(lock.kdf.salt);
    expect(await openWithPassphrase(changed.lock, 'a brand new phrase', subtle)).toMatchObject({
      ok: true,
      secrets: secretsOf(projects),
    });
    expect(await openWithPassphrase(changed.lock, PASS, subtle)).toMatchObject({ ok: false, code: 'wrong-passphrase' });
    // The old lock's key comes back too (the background opens backups sealed with it without deriving it again).
    expect(await openSecrets(lock, changed.oldKey, subtle)).toEqual({ ok: true, secrets: secretsOf(projects) });
  });

  it.each([
    ['a wrong old passphrase', 'not the passphrase', 'a brand new phrase', 'wrong-passphrase'],
    ['a short new passphrase', PASS, 'short', 'weak-passphrase'],
  ])('refuses %s and leaves the old lock working', async (_label, oldPass, newPass, code) => {
    const { lock } = await enabled();
    expect(await changePassphrase(lock, oldPass, newPass, nodeCrypto, FAST)).toMatchObject({ ok: false, code });
    expect(await openWithPassphrase(lock, PASS, subtle)).toMatchObject({ ok: true });
  });
});

describe('resealSecrets (an edit while unlocked)', () => {
  it('keeps salt and iterations, uses fresh IVs, and opens to the new secrets', async () => {
    const { lock, key } = await enabled();
    const secrets = { ...secretsOf(projects), c: { key: 'NEWKEY', secret: '' } };
    const resealed = await resealSecrets(lock, key, secrets, nodeCrypto);
    if (!resealed.ok) throw new Error(resealed.message);
    expect(resealed.lock.kdf).toEqual(lock.kdf);
    expect(resealed.lock.sealed.iv).not.toBe(lock.sealed.iv);
    expect(await openWithPassphrase(resealed.lock, PASS, subtle)).toMatchObject({ ok: true, secrets });
  });
  it('refuses, and returns no lock, when the re-sealed copy cannot be read back', async () => {
    const { lock, key } = await enabled();
    const secrets = { ...secretsOf(projects), c: { key: 'NEWKEY', secret: '' } };
    const broken = cryptoWith({ decrypt: () => Promise.reject(new Error('boom')) });
    expect(await resealSecrets(lock, key, secrets, broken.deps)).toEqual({
      ok: false,
      code: 'verify-failed',
      message: expect.stringMatching(/nothing was changed/),
    });
    expect(broken.calls).toEqual({ deriveBits: 0, encrypt: 2, decrypt: 1 });
  });

  it.each([
    ['one project’s key differs', (e: SealedEntry[]) => void (e[1]!.key = 'OTHERKEY')],
    ['one project’s secret differs', (e: SealedEntry[]) => void (e[0]!.secret = 'OtherSecret')],
    ['a project’s id differs', (e: SealedEntry[]) => void (e[1]!.id = 'z')],
  ])('refuses when the re-sealed copy reads back with the same number of projects but %s', async (_label, alter) => {
    const { lock, key } = await enabled();
    const tampered = cryptoWith({ encrypt: sealingAltered(alter) });
    expect(await resealSecrets(lock, key, secretsOf(projects), tampered.deps)).toEqual({
      ok: false,
      code: 'verify-failed',
      message: expect.stringMatching(/nothing was changed/),
    });
    expect(tampered.calls.decrypt).toBe(2);
    // The same alteration of nothing is accepted: the refusal comes from the comparison.
    const faithful = cryptoWith({ encrypt: sealingAltered(() => undefined) });
    expect(await resealSecrets(lock, key, secretsOf(projects), faithful.deps)).toMatchObject({ ok: true });
  });

  it('refuses, and never throws, when encryption itself fails', async () => {
    const { lock, key } = await enabled();
    const broken = cryptoWith({ encrypt: () => Promise.reject(new Error('no AES')) });
    expect(await resealSecrets(lock, key, secretsOf(projects), broken.deps)).toEqual({
      ok: false,
      code: 'verify-failed',
      message: expect.stringMatching(/nothing was changed/),
    });
  });

  it('refuses when the re-sealed copy opens to other secrets than were given', async () => {
    const { lock, key } = await enabled();
    const tampered = cryptoWith({ encrypt: sealingOtherSecrets });
    expect(await resealSecrets(lock, key, secretsOf(projects), tampered.deps)).toMatchObject({
      ok: false,
      code: 'verify-failed',
    });
    expect(tampered.calls.decrypt).toBe(2);
  });
});

describe('disableLock', () => {
  it('puts the secrets back exactly', async () => {
    const { lock, projects: stored } = await enabled();
    expect(await disableLock(lock, PASS, stored, subtle)).toEqual({ ok: true, projects, missing: [] });
  });

  it('refuses a wrong passphrase with a clear message', async () => {
    const { lock, projects: stored } = await enabled();
    expect(await disableLock(lock, 'wrong wrong', stored, subtle)).toEqual({
      ok: false,
      code: 'wrong-passphrase',
      message: expect.stringMatching(/^Wrong passphrase/),
    });
  });
});
