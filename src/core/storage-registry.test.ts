import { describe, expect, it } from 'vitest';
import { STORAGE, activityBlockEntry, stateBackupEntry, stateBackupTime, touches } from './storage-registry';

describe('the storage registry', () => {
  const entries = Object.values(STORAGE);

  it('gives every entry its own key', () => {
    const keys = [
      ...entries.map((e) => e.key),
      activityBlockEntry(0).key,
      activityBlockEntry(1).key,
      stateBackupEntry(5).key,
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps secrets on disk only in the keyring and its backups (tokens and the lock key live in session memory)', () => {
    const secretOnDisk = entries.filter((e) => e.secret && e.area === 'local').map((e) => e.key);
    expect(secretOnDisk).toEqual(['keyring']);
    expect(stateBackupEntry(5)).toMatchObject({ key: 'keyring.backup.5', area: 'local', secret: true });
    expect(STORAGE.tokens).toMatchObject({ area: 'session', secret: true });
    expect(STORAGE.lockSession).toMatchObject({ area: 'session', secret: true });
  });

  it('reads a backup key back to its time, and no other key', () => {
    expect(stateBackupTime(stateBackupEntry(1_700_000_000_123).key)).toBe(1_700_000_000_123);
    for (const key of [
      'keyring',
      'keyring.backup.',
      'keyring.backup.12x',
      'keyring.backup.-1',
      'xkeyring.backup.5',
      'settings',
    ])
      expect(stateBackupTime(key)).toBeNull();
  });

  it('says for every entry when it is cleared', () => {
    for (const e of [...entries, activityBlockEntry(3), stateBackupEntry(1)])
      expect(e.cleared.length).toBeGreaterThan(4);
  });

  it('touches: a change event concerns an entry only in its own area', () => {
    expect(touches({ tabPins: {} }, 'session', STORAGE.tabPins)).toBe(true);
    expect(touches({ tabPins: {} }, 'local', STORAGE.tabPins)).toBe(false);
    expect(touches({ keyring: {} }, 'local', STORAGE.tokens, STORAGE.state)).toBe(true);
    expect(touches({ other: 1 }, 'local', STORAGE.state)).toBe(false);
  });
});
