/**
 * The popup's views while nothing can be attached until the user acts: the saved data could not be
 * read (start again, keeping a backup), or the passphrase lock is locked (unlock first; the projects
 * are listed by name only).
 */
import type { PopupState } from '../core/messages';
import type { KeyringClient } from '../ui/keyring-client';
import { UnlockForm } from '../ui/lock-panel';
import { TopBar } from './top-bar';

export function DamagedView({
  problem,
  busy,
  error,
  onReset,
}: {
  problem: string | null;
  busy: boolean;
  error: string | null;
  onReset: () => void;
}) {
  return (
    <main class="popup">
      <TopBar />
      <div role="alert" class="alert">
        <p>{problem}</p>
        <p>No credential is attached until this is resolved. Your saved data has not been changed.</p>
      </div>
      <button type="button" onClick={onReset} disabled={busy}>
        Start again (keep a backup of the old data)
      </button>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
    </main>
  );
}

export function LockedView({
  state,
  client,
  onUnlocked,
}: {
  state: PopupState;
  client: KeyringClient;
  onUnlocked: () => void;
}) {
  return (
    <main class="popup">
      <TopBar />
      <UnlockForm client={client} onChanged={onUnlocked} />
      {state.projects.length > 0 && (
        <section aria-labelledby="locked-projects-heading">
          <h2 id="locked-projects-heading">Projects (locked)</h2>
          <ul class="locked-projects">
            {state.projects.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.id === state.activeProjectId ? ' (selected)' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
