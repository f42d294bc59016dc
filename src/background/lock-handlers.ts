/**
 * The background's answers to the passphrase-lock messages. The crypto and the no-data-loss
 * transitions are in core/secret-lock.ts; here each one runs in the serial queue, writes the
 * stored document (state and lock together) in ONE write, then updates the session key.
 */
import type { MessageMap } from '../core/messages';
import type { KeyringState } from '../core/project';
import { openWithPassphrase } from '../core/secret-box';
import { changePassphrase, disableLock, enableLock, forgetSecrets } from '../core/secret-lock';
import { MessageFailure } from '../lib/messaging';
import type { LockSession, OpenedState } from './lock-session';
import type { BackgroundEnv } from './start-background';
import type { StateStore } from './state-store';

type LockMessages = 'enableLock' | 'unlock' | 'lockNow' | 'changePassphrase' | 'disableLock' | 'forgetLockedSecrets';
type LockHandlers = { [N in LockMessages]: (args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']> };

export interface LockDeps {
  env: Pick<BackgroundEnv, 'crypto' | 'lockIterations'>;
  queue: <T>(job: () => Promise<T>) => Promise<T>;
  store: Pick<StateStore, 'save'>;
  loadOpened(): Promise<{ ok: true; opened: OpenedState } | { ok: false; error: string }>;
  lockSession: LockSession;
  reconcile(): Promise<unknown>;
}

const NOT_ON = 'The passphrase lock is not on.';

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createLockHandlers(d: LockDeps): LockHandlers {
  const iterations = () => d.env.lockIterations ?? undefined;

  async function opened(): Promise<OpenedState> {
    const loaded = await d.loadOpened();
    if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
    return loaded.opened;
  }

  async function save(state: KeyringState): Promise<void> {
    try {
      await d.store.save(state);
    } catch (err) {
      throw new MessageFailure({ code: 'storage', message: `The browser could not save your change (${describe(err)}). Nothing was changed.` });
    }
  }

  /** Run in the queue, then reconcile so rules and badge follow at once. */
  async function inQueue<T>(job: () => Promise<T>): Promise<T> {
    const value = await d.queue(job);
    await d.reconcile();
    return value;
  }

  return {
    enableLock({ passphrase }) {
      return inQueue(async () => {
        const o = await opened();
        if (o.mode !== 'off') throw new MessageFailure({ code: 'already', message: 'The passphrase lock is already on.' });
        const result = await enableLock(o.state.projects, passphrase, d.env.crypto, iterations());
        if (!result.ok) throw new MessageFailure({ code: result.code, message: result.message });
        await save({ ...o.state, projects: result.projects, lock: result.lock });
        await d.lockSession.remember(result.lock, result.keyBytes).catch(() => undefined); // if this fails, it is simply locked
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
        // The old lock stays valid until this one write replaces it.
        await save({ ...o.state, projects: o.state.projects.map((p) => ({ ...p, key: '', secret: '' })), lock: result.lock });
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
