/**
 * Reading and writing the one stored document. Reads always migrate and validate; a damaged
 * document is reported, never replaced, except by the explicit reset that keeps a backup.
 */
import { loadState, type LoadResult } from '../core/migrations';
import { emptyState, type KeyringState } from '../core/project';
import { PBKDF2_ITERATIONS } from '../core/secret-box';
import { parseCurrentState } from '../core/state-schema';
import { STORAGE, stateBackupEntry } from '../core/storage-registry';
import type { KeyedStorage } from '../lib/storage';

export interface StateStore {
  /** Load, migrate (writing the migrated document back) and validate. */
  load(): Promise<LoadResult>;
  /** Write the whole document in one call; rejects if storage refuses (quota, I/O). */
  save(state: KeyringState): Promise<void>;
  /** Copy whatever is stored to a backup key, then start empty. Returns the backup key. */
  resetKeepingBackup(now: number): Promise<string>;
}

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
    async resetKeepingBackup(now) {
      const raw = await storage.read(STORAGE.state);
      const backup = stateBackupEntry(now);
      await storage.write([backup, raw ?? null]);
      await storage.write([STORAGE.state, emptyState()]);
      return backup.key;
    },
  };
}
