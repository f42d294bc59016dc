/**
 * The background's answers to the passphrase-lock messages. The crypto and the no-data-loss
 * transitions are in core/secret-lock.ts; here each one runs in the serial queue, writes the
 * stored document (state and lock together) in ONE write, then updates the session key.
 */
import type { MessageMap } from '../core/messages';
import type { KeyringState } from '../core/project';
import { isSealedBackup, resealBackups, sealBackup } from '../core/sealed-backup';
import { openWithPassphrase } from '../core/secret-box';
import { changePassphrase, disableLock, enableLock, forgetSecrets } from '../core/secret-lock';
import { describeError, MessageFailure } from '../lib/messaging';
import type { LockSession, OpenedState } from './lock-session';
import type { BackgroundEnv } from './context';
import type { StateStore, StoredBackup } from './state-store';

type LockMessages = 'enableLock' | 'unlock' | 'lockNow' | 'changePassphrase' | 'disableLock' | 'forgetLockedSecrets';
type LockHandlers = { [N in LockMessages]: (args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']> };

export interface LockDeps {
  env: Pick<BackgroundEnv, 'crypto' | 'lockIterations'>;
  queue: <T>(job: () => Promise<T>) => Promise<T>;
  store: Pick<StateStore, 'save' | 'saveWithBackups' | 'listBackups' | 'removeBackups'>;
  loadOpened(): Promise<{ ok: true; opened: OpenedState } | { ok: false; error: string }>;
  lockSession: LockSession;
  reconcile(): Promise<unknown>;
}

const NOT_ON = 'The passphrase lock is not on.';
const BACKUPS_CHOICE = (n: number) =>
  `${n === 1 ? 'A backup' : `${n} backups`} of damaged data (from Start again) may hold keys in plain text. Choose whether to seal ${n === 1 ? 'it' : 'them'} with the lock or delete ${n === 1 ? 'it' : 'them'}.`;

export function createLockHandlers(d: LockDeps): LockHandlers {
  const iterations = () => d.env.lockIterations ?? undefined;

  async function opened(): Promise<OpenedState> {
    const loaded = await d.loadOpened();
    if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
    return loaded.opened;
  }

  async function save(state: KeyringState, backups: readonly StoredBackup[] = []): Promise<void> {
    try {
      await (backups.length ? d.store.saveWithBackups(state, backups) : d.store.save(state));
    } catch (err) {
      throw new MessageFailure({
        code: 'storage',
        message: `The browser could not save your change (${describeError(err)}). Nothing was changed.`,
      });
    }
  }

  /** Run in the queue, then reconcile so rules and badge follow at once. */
  async function inQueue<T>(job: () => Promise<T>): Promise<T> {
    const value = await d.queue(job);
    await d.reconcile();
    return value;
  }

  return {
    enableLock({ passphrase, backups: choice }) {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode !== 'off')
          throw new MessageFailure({ code: 'already', message: 'The passphrase lock is already on.' });
        // Backups of damaged data may hold keys in plain text: with the lock on, none may stay so.
        const plain = (await d.store.listBackups()).filter((b) => !isSealedBackup(b.value));
        if (plain.length && !choice)
          throw new MessageFailure({ code: 'backups', message: BACKUPS_CHOICE(plain.length) });
        const result = await enableLock(o.state.projects, passphrase, d.env.crypto, iterations());
        if (!result.ok) throw new MessageFailure({ code: result.code, message: result.message });
        let sealed: StoredBackup[];
        try {
          sealed = await Promise.all(
            plain.map(async (b) => ({
              ...b,
              value: await sealBackup(b.value, result.key, result.lock.kdf, d.env.crypto),
            })),
          );
        } catch {
          throw new MessageFailure({
            code: 'verify-failed',
            message: 'The backups could not be encrypted and read back, so nothing was changed.',
          });
        }
        // The lock and the sealed backups in one write: "delete" seals them too, so that if the
        // removal below fails, nothing is left in plain text.
        await save({ ...o.state, projects: result.projects, lock: result.lock }, sealed);
        await d.lockSession.remember(result.lock, result.keyBytes).catch(() => undefined); // if this fails, it is simply locked
        if (choice === 'delete' && sealed.length) {
          await d.store.removeBackups(sealed).catch((err: unknown) => {
            throw new MessageFailure({
              code: 'storage',
              message: `The lock is on and the backups are sealed with it, but the browser could not delete them (${describeError(err)}). Delete them from the backups list.`,
            });
          });
        }
        return null;
      });
    },
    unlock({ passphrase }) {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode === 'off') throw new MessageFailure({ code: 'not-locked', message: NOT_ON });
        const result = await openWithPassphrase(o.state.lock!, passphrase, d.env.crypto.subtle);
        if (!result.ok) throw new MessageFailure({ code: result.code, message: result.message });
        await d.lockSession.remember(o.state.lock!, result.keyBytes);
        return null;
      });
    },
    lockNow() {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode === 'off') throw new MessageFailure({ code: 'not-locked', message: NOT_ON });
        await d.lockSession.forget();
        return null;
      });
    },
    changePassphrase({ old, new: next }) {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode === 'off') throw new MessageFailure({ code: 'not-locked', message: NOT_ON });
        const result = await changePassphrase(o.state.lock!, old, next, d.env.crypto, iterations());
        if (!result.ok) throw new MessageFailure({ code: result.code, message: result.message });
        // Sealed backups follow the passphrase, or the old one would still open them.
        let resealed: StoredBackup[];
        try {
          resealed = await resealBackups(await d.store.listBackups(), old, result.key, result.lock.kdf, d.env.crypto, {
            kdf: o.state.lock!.kdf,
            key: result.oldKey,
          });
        } catch {
          throw new MessageFailure({
            code: 'verify-failed',
            message:
              'The backups could not be encrypted with the new passphrase and read back, so nothing was changed.',
          });
        }
        // The old lock (and the backups sealed with it) stay valid until this one write replaces them.
        await save(
          { ...o.state, projects: o.state.projects.map((p) => ({ ...p, key: '', secret: '' })), lock: result.lock },
          resealed,
        );
        await d.lockSession.remember(result.lock, result.keyBytes).catch(() => undefined);
        return null;
      });
    },
    disableLock({ passphrase }) {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode === 'off') throw new MessageFailure({ code: 'not-locked', message: NOT_ON });
        const stored = o.state.lock!;
        const blank = o.state.projects.map((p) => ({ ...p, key: '', secret: '' }));
        const result = await disableLock(stored, passphrase, blank, d.env.crypto.subtle);
        if (!result.ok) throw new MessageFailure({ code: result.code, message: result.message });
        await save({ ...o.state, projects: result.projects, lock: null });
        await d.lockSession.forget().catch(() => undefined);
        return null;
      });
    },
    forgetLockedSecrets() {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode === 'off') throw new MessageFailure({ code: 'not-locked', message: NOT_ON });
        // Nothing can recover the secrets without the passphrase: drop them, keep everything else.
        await save({ ...o.state, projects: forgetSecrets(o.state.projects), lock: null });
        await d.lockSession.forget().catch(() => undefined);
        return null;
      });
    },
  };
}
