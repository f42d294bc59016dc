/**
 * "Passphrase lock": turn it on (keys and secrets encrypted at rest), unlock once per browser
 * session, lock now, change the passphrase, turn it off, and the way out of a forgotten
 * passphrase (clear the keys and secrets, keep everything else). The background does the crypto;
 * the passphrase is sent to it only for the action, and never kept by the popup.
 */
import { useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import type { PopupState } from '../core/messages';
import type { KeyringClient } from './keyring-client';
import { ActionMessages, messageOf } from './action-messages';

type Busy = (action: () => Promise<unknown>, done?: string) => Promise<boolean>;

function useAction(onChanged: () => void): { busy: boolean; error: string | null; status: string; run: Busy } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  async function run(action: () => Promise<unknown>, done = ''): Promise<boolean> {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      await action();
      setStatus(done);
      onChanged();
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, status, run };
}

function Field({
  id,
  label,
  value,
  onInput,
  autoComplete = 'current-password',
  autoFocus,
}: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  autoComplete?: string;
  autoFocus?: boolean;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete={autoComplete}
        spellcheck={false}
        value={value}
        ref={autoFocus ? (el) => el?.focus() : undefined}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
    </div>
  );
}

const submitted = (action: () => void) => (e: TargetedEvent<HTMLFormElement>) => {
  e.preventDefault();
  action();
};

/** "Forgot passphrase": explains, then clears the keys and secrets after an explicit confirmation. */
function ForgotPassphrase({ client, onChanged }: { client: KeyringClient; onChanged: () => void }) {
  const [asking, setAsking] = useState(false);
  const { busy, error, status, run } = useAction(onChanged);
  return (
    <div class="forgot">
      {!asking ? (
        <button type="button" onClick={() => setAsking(true)}>
          Forgot passphrase
        </button>
      ) : (
        <div role="group" aria-labelledby="forgot-text">
          <p id="forgot-text">
            Nothing can open the keys without the passphrase. You can clear the keys and secrets and turn the lock off:
            your projects keep their names, modes, plans and badges, and you paste each key (and secret) again from the
            OS Data Hub (osdatahub.os.uk → API projects).
          </p>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void run(
                  () => client.send('forgetLockedSecrets', {}),
                  'Keys and secrets cleared; the lock is off. Edit each project to enter its key again.',
                )
              }
            >
              Confirm clear secrets
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ActionMessages error={error} status={status} />
    </div>
  );
}

/** Seal or delete the backups of damaged data that are in plain text, as the lock goes on. */
function BackupChoice({
  count,
  choice,
  onChoose,
}: {
  count: number;
  choice: 'seal' | 'delete';
  onChoose: (c: 'seal' | 'delete') => void;
}) {
  const them = count === 1 ? 'it' : 'them';
  return (
    <fieldset class="choice">
      <legend>{`${count === 1 ? 'A backup' : `${count} backups`} of damaged data may hold keys in plain text`}</legend>
      {(['seal', 'delete'] as const).map((c) => (
        <div key={c}>
          <input
            type="radio"
            id={`lock-backups-${c}`}
            name="lock-backups"
            checked={choice === c}
            onChange={() => onChoose(c)}
          />{' '}
          <label for={`lock-backups-${c}`}>{c === 'seal' ? `Seal ${them} with the lock` : `Delete ${them}`}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** While locked: the popup leads with this. */
export function UnlockForm({ client, onChanged }: { client: KeyringClient; onChanged: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, run } = useAction(onChanged);
  return (
    <section aria-labelledby="unlock-heading" class="unlock">
      <h2 id="unlock-heading">Locked</h2>
      <p id="unlock-hint">
        Your keys are locked: nothing is attached to requests until you unlock (once per browser session).
      </p>
      <form
        onSubmit={submitted(
          () => void run(() => client.send('unlock', { passphrase })).then((ok) => ok && setPassphrase('')),
        )}
      >
        <Field id="unlock-passphrase" label="Passphrase" value={passphrase} onInput={setPassphrase} autoFocus />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </div>
      </form>
      <ActionMessages error={error} status={null} />
      <ForgotPassphrase client={client} onChanged={onChanged} />
    </section>
  );
}

/** The "Passphrase lock" section, when the lock is off or unlocked. */
/**
 * `plainBackups`: how many backups of damaged data are not sealed. Turning the lock on then asks
 * whether to seal them with it or delete them (with the lock on, no key stays in plain text).
 */
export function LockPanel({
  client,
  lock,
  plainBackups = 0,
  onChanged,
}: {
  client: KeyringClient;
  lock: PopupState['lock'];
  plainBackups?: number;
  onChanged: () => void;
}) {
  const [backupChoice, setBackupChoice] = useState<'seal' | 'delete'>('seal');
  const [first, setFirst] = useState('');
  const [repeat, setRepeat] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [offPassphrase, setOffPassphrase] = useState('');
  const [mode, setMode] = useState<'none' | 'change' | 'off'>('none');
  const { busy, error, status, run } = useAction(onChanged);
  const [localError, setLocalError] = useState<string | null>(null);

  function clear() {
    setFirst('');
    setRepeat('');
    setCurrent('');
    setNext('');
    setOffPassphrase('');
    setMode('none');
  }

  return (
    <details class="lock">
      <summary>Passphrase lock</summary>
      {lock === 'off' ? (
        <form
          onSubmit={submitted(() => {
            setLocalError(null);
            if (first !== repeat) {
              setLocalError('The two passphrases are different. Type the same passphrase twice.');
              return;
            }
            const args = plainBackups > 0 ? { passphrase: first, backups: backupChoice } : { passphrase: first };
            void run(
              () => client.send('enableLock', args),
              'The lock is on. Your keys are encrypted; you will unlock once per browser session.',
            ).then((ok) => ok && clear());
          })}
        >
          <p class="hint">
            Encrypts keys and secrets on this computer with a passphrase. You unlock once per browser session; while
            locked nothing is attached. If you forget the passphrase you will need to paste your keys again.
          </p>
          <Field id="lock-new" label="New passphrase" value={first} onInput={setFirst} autoComplete="new-password" />
          <Field
            id="lock-repeat"
            label="Repeat passphrase"
            value={repeat}
            onInput={setRepeat}
            autoComplete="new-password"
          />
          {plainBackups > 0 && <BackupChoice count={plainBackups} choice={backupChoice} onChoose={setBackupChoice} />}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Turning on…' : 'Turn on lock'}
            </button>
          </div>
        </form>
      ) : (
        <div>
          <p class="hint">The lock is on and unlocked for this browser session.</p>
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void run(() => client.send('lockNow', {}))}>
              Lock now
            </button>
            <button
              type="button"
              aria-expanded={mode === 'change'}
              onClick={() => setMode(mode === 'change' ? 'none' : 'change')}
            >
              Change passphrase
            </button>
            <button
              type="button"
              aria-expanded={mode === 'off'}
              onClick={() => setMode(mode === 'off' ? 'none' : 'off')}
            >
              Turn off lock
            </button>
          </div>
          {mode === 'change' && (
            <form
              onSubmit={submitted(
                () =>
                  void run(
                    () => client.send('changePassphrase', { old: current, new: next }),
                    'Passphrase changed.',
                  ).then((ok) => ok && clear()),
              )}
            >
              <Field id="lock-current" label="Current passphrase" value={current} onInput={setCurrent} />
              <Field
                id="lock-change-new"
                label="New passphrase"
                value={next}
                onInput={setNext}
                autoComplete="new-password"
              />
              <div class="actions">
                <button type="submit" disabled={busy}>
                  Save new passphrase
                </button>
              </div>
            </form>
          )}
          {mode === 'off' && (
            <form
              onSubmit={submitted(
                () =>
                  void run(
                    () => client.send('disableLock', { passphrase: offPassphrase }),
                    'The lock is off. Keys are stored as before.',
                  ).then((ok) => ok && clear()),
              )}
            >
              <Field
                id="lock-off-passphrase"
                label="Passphrase to turn off"
                value={offPassphrase}
                onInput={setOffPassphrase}
              />
              <div class="actions">
                <button type="submit" class="danger" disabled={busy}>
                  Confirm turn off lock
                </button>
              </div>
            </form>
          )}
          <ForgotPassphrase client={client} onChanged={onChanged} />
        </div>
      )}
      <ActionMessages error={localError ?? error} status={status} />
    </details>
  );
}
