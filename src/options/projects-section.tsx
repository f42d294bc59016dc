/**
 * "Projects": the full-width manager. The same add/edit form as the popup (ProjectForm), with
 * room to see every project at once: badge, name, authentication, plan and key, which one is
 * active, and Use, Edit and Delete (confirmed in its row), and Move up / Move down to set the
 * order the popup, the toolbar's right-click menu and the keyboard shortcut follow.
 */
import { useState } from 'preact/hooks';
import type { EditableProject, PopupState } from '../core/messages';
import { AUTH_MODE_LABELS, PROJECT_MODE_LABELS } from '../core/project';
import type { ProjectInput } from '../core/validate-project';
import { ActionMessages, messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';
import { ProjectForm } from '../ui/project-form';
import { formTarget, saveFromForm } from '../ui/project-editing';
import { BadgeChip } from '../ui/badge-chip';

type Editing =
  { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; project: EditableProject } | { kind: 'delete'; id: string };

export function ProjectsSection({
  client,
  state,
  onChanged,
}: {
  client: KeyringClient;
  state: PopupState;
  onChanged: () => unknown;
}) {
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function act(action: () => Promise<string | null>) {
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
      await onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  const submit = (input: ProjectInput, use: boolean) =>
    saveFromForm(client, input, use, async () => {
      setEditing({ kind: 'none' });
      setStatus(`Saved ${input.name}${use ? ' and made it the active project' : ''}.`);
      await onChanged();
    });

  /**
   * Move a project one place up or down. The row moves under the pointer or keyboard, so focus
   * follows it: onto the same button, or the other one when the row reached an end.
   */
  function move(index: number, by: -1 | 1) {
    const p = state.projects[index]!;
    const to = index + by;
    void act(async () => {
      await client.send('moveProject', { id: p.id, to });
      const last = state.projects.length - 1;
      const direction =
        (to === 0 && by < 0) || (to === last && by > 0) ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down';
      requestAnimationFrame(() => document.getElementById(`move-${direction}-${p.id}`)?.focus());
      return `Moved ${p.name} to position ${to + 1} of ${state.projects.length}.`;
    });
  }

  const locked = state.lock === 'locked';
  return (
    <section aria-labelledby="projects-title" class="page">
      <div class="page-head">
        <h2 id="projects-title">Projects</h2>
        {editing.kind === 'none' && !locked && (
          <button type="button" class="primary" onClick={() => setEditing({ kind: 'add' })}>
            Add project
          </button>
        )}
      </div>
      <p class="hint">
        Each project is an OS Data Hub project: its API key (and secret, for OAuth 2). The active one is attached to
        requests for api.os.uk; the toolbar badge shows its badge text in its colour. The order here is the order of the
        popup, the toolbar’s right-click menu and the keyboard shortcut.
      </p>
      {locked && (
        <p class="hint warning">The keyring is locked: unlock it from the toolbar popup to add or edit projects.</p>
      )}
      <ActionMessages error={error} status={status} />
      {editing.kind === 'add' || editing.kind === 'edit' ? (
        <div class="card form-card">
          <ProjectForm
            {...formTarget(editing.kind === 'edit' ? editing.project : undefined, client, state.activeProjectId)}
            onSubmit={submit}
            onCancel={() => setEditing({ kind: 'none' })}
          />
        </div>
      ) : state.projects.length === 0 ? (
        <div class="empty-state">
          <p>
            No projects yet. Add one with the API key from your project on the OS Data Hub (osdatahub.os.uk → API
            projects).
          </p>
          <p class="hint">
            No account? <code>npm run demo</code> in the repository opens a browser with a demo project against a local
            mock of api.os.uk.
          </p>
        </div>
      ) : (
        <table class="grid projects-table" aria-labelledby="projects-title">
          <thead>
            <tr>
              <th scope="col" class="col-badge">
                Badge
              </th>
              <th scope="col">Name</th>
              <th scope="col">Authentication</th>
              <th scope="col">Mode</th>
              <th scope="col">Key</th>
              <th scope="col" class="col-actions">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.projects.map((p, index) => (
              <tr key={p.id} class={p.id === state.activeProjectId ? 'active' : undefined}>
                <td class="col-badge">
                  <BadgeChip text={p.badgeText} color={p.color} />
                </td>
                <td>
                  <strong>{p.name}</strong> {p.id === state.activeProjectId && <span class="pill ok">Active</span>}
                </td>
                <td>{AUTH_MODE_LABELS[p.authMode]}</td>
                <td>{PROJECT_MODE_LABELS[p.mode]}</td>
                <td class="mono">{p.maskedKey}</td>
                <td class="col-actions">
                  {editing.kind === 'delete' && editing.id === p.id ? (
                    <div class="confirm inline" role="group" aria-labelledby={`confirm-${p.id}`}>
                      <span id={`confirm-${p.id}`}>Delete {p.name}? Its key and secret are removed.</span>
                      <button
                        type="button"
                        class="danger solid"
                        ref={(el) => el?.focus()}
                        onClick={() =>
                          void act(
                            async () => (
                              await client.send('deleteProject', { id: p.id }),
                              setEditing({ kind: 'none' }),
                              `Deleted ${p.name}.`
                            ),
                          )
                        }
                      >
                        Confirm delete
                      </button>
                      <button type="button" onClick={() => setEditing({ kind: 'none' })}>
                        Cancel
                      </button>
                    </div>
                  ) : (
                    <div class="actions">
                      {state.projects.length > 1 && (
                        <span class="move" role="group" aria-label={`Order of ${p.name}`}>
                          <button
                            type="button"
                            class="quiet icon"
                            id={`move-up-${p.id}`}
                            aria-label={`Move ${p.name} up`}
                            title="Move up"
                            disabled={index === 0}
                            onClick={() => move(index, -1)}
                          >
                            ↑
                          </button>
                          <button
                            type="button"
                            class="quiet icon"
                            id={`move-down-${p.id}`}
                            aria-label={`Move ${p.name} down`}
                            title="Move down"
                            disabled={index === state.projects.length - 1}
                            onClick={() => move(index, 1)}
                          >
                            ↓
                          </button>
                        </span>
                      )}
                      {p.id !== state.activeProjectId && !locked && (
                        <button
                          type="button"
                          aria-label={`Use ${p.name}`}
                          onClick={() =>
                            void act(
                              async () => (
                                await client.send('setActiveProject', { id: p.id }),
                                `${p.name} is the active project.`
                              ),
                            )
                          }
                        >
                          Use
                        </button>
                      )}
                      {!locked && (
                        <button
                          type="button"
                          aria-label={`Edit ${p.name}`}
                          onClick={() =>
                            void act(
                              async () => (
                                setEditing({
                                  kind: 'edit',
                                  project: await client.send('getProjectForEdit', { id: p.id }),
                                }),
                                null
                              ),
                            )
                          }
                        >
                          Edit
                        </button>
                      )}
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Delete ${p.name}`}
                        onClick={() => setEditing({ kind: 'delete', id: p.id })}
                      >
                        Delete
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
