// Sealed backups of damaged data, re-sealed when the passphrase changes (the background's
// changePassphrase; tests/unit/background/lock-backups.test.ts checks it end to end).
import { describe, expect, it, vi } from 'vitest';
import { openBackup, resealBackups, sealBackup } from './sealed-backup';
import { deriveKey, newSalt, type SecretLock } from './secret-box';
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
