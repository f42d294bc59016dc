// Sealed backups of damaged data, re-sealed when the passphrase changes (the background's
// changePassphrase; tests/unit/background/lock-backups.test.ts checks it end to end).
import { describe, expect, it, vi } from 'vitest';
import {
  backupInfo,
  isSealedBackup,
  openBackup,
  resealBackups,
  sealBackup,
  SEALED_BACKUP_FORMAT,
  withoutPlainSecrets,
} from './sealed-backup';
import { deriveKey, newSalt, seal, type CryptoDeps, type SecretLock } from './secret-box';
import { FAST_ITERATIONS, nodeCrypto } from './webcrypto.test-helpers';

async function keyFor(passphrase: string): Promise<{ key: CryptoKey; kdf: SecretLock['kdf'] }> {
  const salt = newSalt(nodeCrypto);
  const key = await deriveKey(passphrase, salt.bytes, FAST_ITERATIONS, nodeCrypto.subtle);
  return { key, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: FAST_ITERATIONS, salt: salt.base64 } };
}

describe('resealBackups', () => {
  it('re-seals what the old passphrase opens; leaves out plain backups and those sealed under an earlier one', async () => {
    const old = await keyFor('the old passphrase');
    const earlier = await keyFor('an even older one');
    const next = await keyFor('the new passphrase');
    const doc = { projects: [{ key: 'KEY1', secret: 'S1' }] };
    const backups = [
      { id: 'a', value: await sealBackup(doc, old.key, old.kdf, nodeCrypto) },
      { id: 'b', value: { projects: [] } },
      { id: 'c', value: await sealBackup({ projects: [] }, earlier.key, earlier.kdf, nodeCrypto) },
    ];
    const out = await resealBackups(backups, 'the old passphrase', next.key, next.kdf, nodeCrypto);
    expect(out.map((b) => b.id)).toEqual(['a']);
    const resealed = out[0]!.value;
    expect(resealed.kdf).toEqual(next.kdf);
    expect((await openBackup(resealed, next.key, nodeCrypto.subtle))?.document).toEqual(doc);
    expect(await openBackup(resealed, old.key, nodeCrypto.subtle)).toBeNull();
  });

  it('derives the old key once per salt, however many backups share it', async () => {
    const old = await keyFor('the old passphrase');
    const next = await keyFor('the new passphrase');
    const backups = await Promise.all(
      [1, 2, 3].map(async (n) => ({ value: await sealBackup({ n }, old.key, old.kdf, nodeCrypto) })),
    );
    const subtle = nodeCrypto.subtle;
    const deriveBits = vi.spyOn(subtle, 'deriveBits');
    try {
      const out = await resealBackups(backups, 'the old passphrase', next.key, next.kdf, nodeCrypto);
      expect(out).toHaveLength(3);
      expect(deriveBits).toHaveBeenCalledTimes(1);
    } finally {
      deriveBits.mockRestore();
    }
  });

  it('uses a key the caller already has for its salt, and derives none', async () => {
    const old = await keyFor('the old passphrase');
    const next = await keyFor('the new passphrase');
    const backups = [{ value: await sealBackup({ n: 1 }, old.key, old.kdf, nodeCrypto) }];
    const deriveBits = vi.spyOn(nodeCrypto.subtle, 'deriveBits');
    try {
      const out = await resealBackups(backups, 'the old passphrase', next.key, next.kdf, nodeCrypto, old);
      expect(out).toHaveLength(1);
      expect(deriveBits).not.toHaveBeenCalled();
      expect((await openBackup(out[0]!.value, next.key, nodeCrypto.subtle))?.document).toEqual({ n: 1 });
    } finally {
      deriveBits.mockRestore();
    }
  });

  it('leaves out damaged sealed backups (no kdf, zero iterations, a broken box) instead of failing', async () => {
    const old = await keyFor('the old passphrase');
    const next = await keyFor('the new passphrase');
    const good = await sealBackup({ ok: 1 }, old.key, old.kdf, nodeCrypto);
    const damaged = [
      { id: 'no-kdf', value: { ...good, kdf: undefined } },
      { id: 'zero', value: { ...good, kdf: { ...good.kdf, iterations: 0 } } },
      { id: 'no-box', value: { ...good, box: undefined } },
      { id: 'bad-box', value: { ...good, box: { iv: 42, data: null } } },
    ];
    const out = await resealBackups(
      [...damaged, { id: 'good', value: good }],
      'the old passphrase',
      next.key,
      next.kdf,
      nodeCrypto,
    );
    expect(out.map((b) => b.id)).toEqual(['good']);
  });
});

describe('the sealed-backup format', () => {
  it('is recognised by its format marker only', async () => {
    const { key, kdf } = await keyFor('pass phrase here');
    const sealed = await sealBackup({ projects: [] }, key, kdf, nodeCrypto);
    expect(sealed).toMatchObject({ format: 'os-api-keyring/sealed-backup', version: 1, kdf, cipher: 'AES-GCM' });
    expect(SEALED_BACKUP_FORMAT).toBe('os-api-keyring/sealed-backup');
    for (const value of [undefined, null, 'os-api-keyring/sealed-backup', 7, {}, { format: 'os-api-keyring' }])
      expect(isSealedBackup(value)).toBe(false);
    expect(isSealedBackup(sealed)).toBe(true);
  });

  it('backupInfo: when, UTF-8 bytes of the stored JSON, and whether it is sealed', async () => {
    expect(backupInfo(5, { name: 'é' })).toEqual({ savedAt: 5, bytes: 13, sealed: false });
    expect(backupInfo(6, undefined)).toEqual({ savedAt: 6, bytes: 0, sealed: false });
    const { key, kdf } = await keyFor('pass phrase here');
    const sealed = await sealBackup({ a: 1 }, key, kdf, nodeCrypto);
    expect(backupInfo(7, sealed)).toMatchObject({
      sealed: true,
      bytes: new TextEncoder().encode(JSON.stringify(sealed)).length,
    });
  });

  it('sealBackup returns an already sealed backup as it is, and opens what it sealed', async () => {
    const { key, kdf } = await keyFor('pass phrase here');
    const sealed = await sealBackup({ projects: [{ key: 'K' }] }, key, kdf, nodeCrypto);
    expect(await sealBackup(sealed, key, kdf, nodeCrypto)).toBe(sealed);
    expect(await openBackup(sealed, key, nodeCrypto.subtle)).toEqual({ document: { projects: [{ key: 'K' }] } });
    expect(JSON.stringify(sealed)).not.toContain('"K"');
  });

  it('sealBackup refuses a copy that does not read back to the same text', async () => {
    const { key, kdf } = await keyFor('pass phrase here');
    const subtle = nodeCrypto.subtle;
    const garbling: CryptoDeps = {
      ...nodeCrypto,
      subtle: {
        encrypt: subtle.encrypt.bind(subtle),
        decrypt: async () => new TextEncoder().encode('{"other":true}').buffer,
      } as unknown as SubtleCrypto,
    };
    await expect(sealBackup({ a: 1 }, key, kdf, garbling)).rejects.toThrow('the sealed backup did not read back');
  });

  it("openBackup: null for another key, and for a box of the backup's kind that does not hold JSON", async () => {
    const { key, kdf } = await keyFor('pass phrase here');
    const other = await keyFor('another passphrase');
    const sealed = await sealBackup({ a: 1 }, key, kdf, nodeCrypto);
    expect(await openBackup(sealed, other.key, nodeCrypto.subtle)).toBeNull();
    // The documented format: a box sealed by hand with the backup's additional data opens.
    const byHand = { ...sealed, box: await seal('{"b":2}', 'os-api-keyring/lock/v1/backup', key, nodeCrypto) };
    expect(await openBackup(byHand, key, nodeCrypto.subtle)).toEqual({ document: { b: 2 } });
    const notJson = { ...sealed, box: await seal('not json', 'os-api-keyring/lock/v1/backup', key, nodeCrypto) };
    expect(await openBackup(notJson, key, nodeCrypto.subtle)).toBeNull();
    // The additional data is the backup's own: a box sealed for another role does not open as a backup.
    const otherRole = { ...sealed, box: await seal('{"a":1}', 'os-api-keyring/lock/v1/secrets', key, nodeCrypto) };
    expect(await openBackup(otherRole, key, nodeCrypto.subtle)).toBeNull();
  });
});

describe('withoutPlainSecrets (a copy made while locked)', () => {
  it('blanks every key and secret present, keeps the rest, adds no field', () => {
    const lock = { version: 1 };
    expect(
      withoutPlainSecrets({
        schemaVersion: 5,
        lock,
        projects: [{ id: 'a', name: 'A', key: 'PLAINKEY', secret: 'PLAINSECRET' }, { id: 'b', name: 'B' }, 'odd', null],
      }),
    ).toEqual({
      schemaVersion: 5,
      lock,
      projects: [{ id: 'a', name: 'A', key: '', secret: '' }, { id: 'b', name: 'B' }, 'odd', null],
    });
  });

  it.each([
    ['a string', 'x'],
    ['null', null],
    ['no projects', { a: 1 }],
    ['projects not a list', { projects: {} }],
  ])('%s: returned as it is', (_label, document) => {
    expect(withoutPlainSecrets(document)).toBe(document);
  });
});
