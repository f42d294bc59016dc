/**
 * The "Active project" radio group: one radio per project plus Off. Each project's Edit and
 * Delete sit behind its own "⋯" menu button (a disclosure, so they stay plain buttons), and the
 * delete confirmation opens in that row.
 */
import { useState } from 'preact/hooks';
import { AUTH_MODE_LABELS } from '../core/project';
import type { RedactedProject } from '../core/redact';
import { BadgeChip } from '../ui/badge-chip';

interface Props {
  projects: RedactedProject[];
  activeProjectId: string | null;
  onActivate: (id: string | null) => void;
  onEdit: (id: string) => void;
  onDelete: (id: string) => void;
  /** The project whose delete confirmation is open, with its buttons. */
  confirming?: { id: string; render: () => preact.ComponentChildren } | undefined;
  /** A row whose menu starts open (to give focus back to its Edit or Delete). */
  openMenuId?: string | null | undefined;
}

export function ProjectList({
  projects,
  activeProjectId,
  onActivate,
  onEdit,
  onDelete,
  confirming,
  openMenuId,
}: Props) {
  const [openMenu, setOpenMenu] = useState<string | null>(openMenuId ?? null);
  const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());
  return (
    // aria-label, not aria-labelledby="active-heading": Firefox ESR 153's accessibility locator (WebDriver
    // BiDi locateNodes) gave this group no name when it was labelled by the h2, which also names the section.
    <div role="radiogroup" aria-label="Active project" class="project-list">
      {projects.map((p) => {
        const open = openMenu === p.id || confirming?.id === p.id;
        return (
          <div
            class={confirming?.id === p.id ? 'project-row confirming' : 'project-row'}
            key={p.id}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && openMenu === p.id) {
                setOpenMenu(null);
                focusSoon(`menu-${p.id}`);
              }
            }}
          >
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
              <BadgeChip text={p.badgeText} color={p.color} />
              <span class="project-name" id={`name-${p.id}`}>
                {p.name}
              </span>
              <span class="project-detail" id={`detail-${p.id}`}>
                {AUTH_MODE_LABELS[p.authMode]} · key <span class="mono">{p.maskedKey}</span>
              </span>
            </label>
            <span class="row-menu">
              {open && (
                <>
                  <button
                    type="button"
                    class="quiet"
                    id={`edit-${p.id}`}
                    aria-label={`Edit ${p.name}`}
                    onClick={() => onEdit(p.id)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="quiet danger"
                    id={`delete-${p.id}`}
                    aria-label={`Delete ${p.name}`}
                    onClick={() => onDelete(p.id)}
                  >
                    Delete
                  </button>
                </>
              )}
              <button
                type="button"
                class="quiet row-menu-toggle"
                id={`menu-${p.id}`}
                aria-label={`More actions for ${p.name}`}
                aria-expanded={open}
                title={`Edit or delete ${p.name}`}
                onClick={() => {
                  setOpenMenu(open ? null : p.id);
                  if (!open) focusSoon(`edit-${p.id}`);
                }}
              >
                ⋯
              </button>
            </span>
            {confirming?.id === p.id && confirming.render()}
          </div>
        );
      })}
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
          <span class="project-detail" id="detail-off">
            No credential is attached to any request
          </span>
        </label>
      </div>
    </div>
  );
}
