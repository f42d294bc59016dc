import { describe, expect, it } from 'vitest';
import { project } from './fixtures.test-helpers';
import { openWithPassphrase, PBKDF2_ITERATIONS, type CryptoDeps } from './secret-box';
import { changePassphrase, checkNewPassphrase, disableLock, enableLock, forgetSecrets, resealSecrets, restoreSecrets, secretsOf, stripSecrets } from './secret-lock';
import { FAST_ITERATIONS as FAST, nodeCrypto } from './webcrypto.test-helpers';

const { subtle } = nodeCrypto;
const projects = [
  project({ id: 'a', name: 'Live', key: 'LIVEKEY0001', secret: 'LiveSecret!', authMode: 'oauth', ruleSlot: 0 }),
  project({ id: 'b', name: 'Dev', key: 'DEVKEY0002', ruleSlot: 1 }),
];
const PASS = 'correct horse battery';

async function enabled() {
  const result = await enableLock(projects, PASS, nodeCrypto, FAST);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('project helpers', () => {
  it('secretsOf / stripSecrets / restoreSecrets round-trip the projects', () => {
    const stripped = stripSecrets(projects);
    expect(stripped.map((p) => [p.key, p.secret])).toEqual([['', ''], ['', '']]);
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
    expect(await openWithPassphrase(result.lock, PASS, subtle)).toMatchObject({ ok: true, secrets: secretsOf(projects) });
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
    const broken: CryptoDeps = { ...nodeCrypto, subtle: Object.assign(Object.create(subtle) as SubtleCrypto, { decrypt: () => Promise.reject(new Error('boom')) }) };
    expect(await enableLock(projects, PASS, broken, FAST)).toEqual({ ok: false, code: 'verify-failed', message: expect.stringMatching(/nothing was changed/) });
    const throwing: CryptoDeps = { ...nodeCrypto, randomBytes: () => { throw new Error('no entropy'); } };
    expect(await enableLock(projects, PASS, throwing, FAST)).toMatchObject({ ok: false, code: 'verify-failed' });
  });
});

describe('changePassphrase', () => {
  it('re-seals under a new salt: the new passphrase opens it, the old one no longer does', async () => {
    const { lock } = await enabled();
    const changed = await changePassphrase(lock, PASS, 'a brand new phrase', nodeCrypto, FAST);
    if (!changed.ok) throw new Error(changed.message);
    expect(changed.lock.kdf.salt).not.toBe(lock.kdf.salt);
    expect(await openWithPassphrase(changed.lock, 'a brand new phrase', subtle)).toMatchObject({ ok: true, secrets: secretsOf(projects) });
    expect(await openWithPassphrase(changed.lock, PASS, subtle)).toMatchObject({ ok: false, code: 'wrong-passphrase' });
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
});

describe('disableLock', () => {
  it('puts the secrets back exactly', async () => {
    const { lock, projects: stored } = await enabled();
    expect(await disableLock(lock, PASS, stored, subtle)).toEqual({ ok: true, projects, missing: [] });
  });

  it('refuses a wrong passphrase with a clear message', async () => {
    const { lock, projects: stored } = await enabled();
    expect(await disableLock(lock, 'wrong wrong', stored, subtle)).toEqual({ ok: false, code: 'wrong-passphrase', message: expect.stringMatching(/^Wrong passphrase/) });
  });
});
