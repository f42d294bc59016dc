/**
 * The unlocked passphrase lock, for this browser session only. After "Unlock" the raw AES key
 * (derived once from the passphrase, ~0.5 s) is kept in `storage.session`, which the browser holds
 * in memory and empties when it closes; it is never written to `storage.local` or disk. The key,
 * rather than the opened secrets, is kept so that: the worker can sleep and wake without asking
 * for the passphrase again; edits while unlocked can be re-sealed; and the secrets are always read
 * from the one stored lock (AES-GCM decryption costs microseconds), so they can never go stale.
 */
import type { KeyringState } from '../core/project';
import {
  fromBase64,
  importKeyBytes,
  openSecrets,
  toBase64,
  type CryptoDeps,
  type SecretLock,
} from '../core/secret-box';
import { restoreSecrets } from '../core/secret-lock';
import { STORAGE } from '../core/storage-registry';
import type { KeyedStorage } from '../lib/storage';

/** Why an action that needs keys was refused while locked. */
export const LOCKED_MESSAGE = 'Keys are locked. Unlock with your passphrase first.';

export type LockMode = 'off' | 'locked' | 'unlocked';

/**
 * A stored state as the background uses it. `state` has the secrets put back when unlocked; when
 * locked it is the stored state (keys and secrets blank), and nothing may be attached.
 */
export type OpenedState =
  | { mode: 'off'; state: KeyringState }
  | { mode: 'locked'; state: KeyringState }
  | { mode: 'unlocked'; state: KeyringState; lock: SecretLock; key: CryptoKey };

interface SessionRecord {
  /** The salt of the lock this key belongs to: a lock sealed under another passphrase is not opened with it. */
  salt: string;
  key: string;
}

export interface LockSession {
  open(state: KeyringState): Promise<OpenedState>;
  /** Keep the key for `lock` for this browser session. */
  remember(lock: SecretLock, keyBytes: Uint8Array): Promise<void>;
  /** Lock now: drop the session key. */
  forget(): Promise<void>;
}

export function createLockSession(storage: KeyedStorage, crypto: CryptoDeps): LockSession {
  return {
    async open(state) {
      const lock = state.lock;
      if (!lock) return { mode: 'off', state };
      const record = (await storage.read(STORAGE.lockSession)) as Partial<SessionRecord> | undefined;
      if (!record || record.salt !== lock.kdf.salt || typeof record.key !== 'string') return { mode: 'locked', state };
      const bytes = fromBase64(record.key);
      if (!bytes || bytes.length !== 32) return { mode: 'locked', state };
      try {
        const key = await importKeyBytes(bytes, crypto.subtle);
        const opened = await openSecrets(lock, key, crypto.subtle);
        if (!opened.ok) return { mode: 'locked', state };
        return {
          mode: 'unlocked',
          state: { ...state, projects: restoreSecrets(state.projects, opened.secrets).projects },
          lock,
          key,
        };
      } catch {
        return { mode: 'locked', state };
      }
    },
    async remember(lock, keyBytes) {
      const record: SessionRecord = { salt: lock.kdf.salt, key: toBase64(keyBytes) };
      await storage.write([STORAGE.lockSession, record]);
    },
    async forget() {
      await storage.remove(STORAGE.lockSession);
    },
  };
}
