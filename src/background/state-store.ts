/**
 * Reading and writing the one stored document. Reads always migrate and validate; a damaged
 * document is reported, never replaced, except by the explicit reset that keeps a backup.
 */
import { loadState, type LoadResult } from '../core/migrations';
import { emptyState, type KeyringState } from '../core/project';
import { PBKDF2_ITERATIONS } from '../core/secret-box';
import { parseCurrentState } from '../core/state-schema';
import { STORAGE, stateBackupEntry, stateBackupTime, type StorageEntry } from '../core/storage-registry';
import type { KeyedStorage } from '../lib/storage';

export interface StoredBackup {
  entry: StorageEntry;
  savedAt: number;
  value: unknown;
}

export interface StateStore {
  /** Load, migrate (writing the migrated document back) and validate. */
  load(): Promise<LoadResult>;
  /** Write the whole document in one call; rejects if storage refuses (quota, I/O). */
  save(state: KeyringState): Promise<void>;
  /**
   * The document and some backups in ONE storage.local write (turning the lock on with its backups
   * sealed): either all of it lands or none of it.
   */
  saveWithBackups(state: KeyringState, backups: readonly StoredBackup[]): Promise<void>;
  /** The stored document as it is, unchecked (for a reset of damaged data). */
  readRaw(): Promise<unknown>;
  /**
   * Store `backup` under a backup key, then `fresh` as the document. Returns the backup key. Two
   * writes in this order: if the second fails, the old document is still there, and so is its copy.
   */
  resetKeepingBackup(now: number, backup: unknown, fresh?: KeyringState): Promise<string>;
  /** The backups of damaged documents, oldest first. */
  listBackups(): Promise<StoredBackup[]>;
  removeBackups(backups: readonly StoredBackup[]): Promise<void>;
}

const backupEntryOf = (key: string): StorageEntry | null => {
  const time = stateBackupTime(key);
  return time === null ? null : stateBackupEntry(time);
};

/** `minIterations`: the least PBKDF2 count a stored lock may have; lowered only by tests. */
export function createStateStore(storage: KeyedStorage, { minIterations = PBKDF2_ITERATIONS } = {}): StateStore {
  const validate = (doc: unknown) => parseCurrentState(doc, { minIterations });
  return {
    async load() {
      const result = loadState(await storage.read(STORAGE.state), { validate });
      if (result.ok && result.migratedFrom !== null) {
        // Write the upgraded document only now that it validated; the old one stays if this fails.
        await storage.write([STORAGE.state, result.state]);
      }
      return result;
    },
    async save(state) {
      await storage.write([STORAGE.state, state]);
    },
    async saveWithBackups(state, backups) {
      await storage.write([STORAGE.state, state], ...backups.map((b) => [b.entry, b.value] as const));
    },
    readRaw() {
      return storage.read(STORAGE.state);
    },
    async resetKeepingBackup(now, backup, fresh = emptyState()) {
      const entry = stateBackupEntry(now);
      await storage.write([entry, backup ?? null]);
      await storage.write([STORAGE.state, fresh]);
      return entry.key;
    },
    async listBackups() {
      const found = await storage.readAll('local', backupEntryOf);
      return found
        .map(([entry, value]) => ({ entry, savedAt: stateBackupTime(entry.key)!, value }))
        .sort((a, b) => a.savedAt - b.savedAt);
    },
    async removeBackups(backups) {
      if (backups.length) await storage.remove(...backups.map((b) => b.entry));
    },
  };
}
