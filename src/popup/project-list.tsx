/** The "Active project" radio group: one radio per project plus Off, with Edit and Delete per project. */
import { AUTH_MODE_LABELS } from '../core/project';
import type { RedactedProject } from '../core/redact';

interface Props {
  projects: RedactedProject[];
  activeProjectId: string | null;
  onActivate: (id: string | null) => void;
  onEdit: (id: string) => void;
  onDelete: (id: string) => void;
}

export function ProjectList({ projects, activeProjectId, onActivate, onEdit, onDelete }: Props) {
  return (
    <section aria-labelledby="active-heading">
      <h2 id="active-heading">Active project</h2>
      <div role="radiogroup" aria-labelledby="active-heading" class="project-list">
        {projects.map((p) => (
          <div class="project-row" key={p.id}>
            <input
              type="radio"
              name="active-project"
              id={`active-${p.id}`}
              aria-labelledby={`name-${p.id}`}
              aria-describedby={`detail-${p.id}`}
              checked={activeProjectId === p.id}
              onChange={() => onActivate(p.id)}
            />
            <label for={`active-${p.id}`} class="project-label">
              <span class="badge-chip" style={{ backgroundColor: p.color }} aria-hidden="true">
                {p.badgeText}
              </span>
              <span class="project-name" id={`name-${p.id}`}>
                {p.name}
              </span>
              <span class="project-detail" id={`detail-${p.id}`}>
                {AUTH_MODE_LABELS[p.authMode]} · key <span class="mono">{p.maskedKey}</span>
              </span>
            </label>
            <span class="row-actions">
              <button type="button" id={`edit-${p.id}`} aria-label={`Edit ${p.name}`} onClick={() => onEdit(p.id)}>
                Edit
              </button>
              <button type="button" id={`delete-${p.id}`} class="danger" aria-label={`Delete ${p.name}`} onClick={() => onDelete(p.id)}>
                Delete
              </button>
            </span>
          </div>
        ))}
        <div class="project-row">
          <input
            type="radio"
            name="active-project"
            id="active-off"
            aria-labelledby="name-off"
            aria-describedby="detail-off"
            checked={activeProjectId === null}
            onChange={() => onActivate(null)}
          />
          <label for="active-off" class="project-label">
            <span class="project-name" id="name-off">
              Off
            </span>
            <span class="project-detail" id="detail-off">No credential is attached to any request</span>
          </label>
        </div>
      </div>
    </section>
  );
}
