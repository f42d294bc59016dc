/**
 * Pure state transitions behind every user action. Each returns a new state or a reason the
 * action was refused; the caller writes the new state in one storage write, so a refused or failed
 * action changes nothing.
 */
import { activeProject, type KeyringState, type Project } from './project';
import { MAX_RULE_SLOT } from './rule-ids';
import { normaliseSite } from './site-access';
import { defaultColour, validateProjectInput, type FieldError, type ProjectInput } from './validate-project';

export type UpdateResult<T = void> =
  | { ok: true; state: KeyringState; value: T }
  | { ok: false; code: 'invalid' | 'not-found' | 'conflict' | 'full'; message: string; fieldErrors?: FieldError[] };

/** Add a project (no `input.id`) or edit one (with `input.id` and the `revision` the form was opened at). */
export function saveProject(
  state: KeyringState,
  input: ProjectInput,
  env: { now: number; newId: () => string },
): UpdateResult<Project> {
  const existing = input.id === undefined ? undefined : state.projects.find((p) => p.id === input.id);
  if (input.id !== undefined && !existing) {
    return {
      ok: false,
      code: 'not-found',
      message: 'This project no longer exists (it was deleted elsewhere). Nothing was saved.',
    };
  }
  if (existing && input.revision !== existing.revision) {
    return {
      ok: false,
      code: 'conflict',
      message: `“${existing.name}” was changed elsewhere after you opened it. Nothing was saved: close the form and edit it again.`,
    };
  }
  // Editing: a blank key or secret means "keep the saved one" (the form never shows them unasked).
  const effective = existing
    ? {
        ...input,
        key: input.key.trim() ? input.key : existing.key,
        secret: input.secret.trim() ? input.secret : existing.secret,
      }
    : input;
  const checked = validateProjectInput(effective, state);
  if (!checked.ok) {
    return {
      ok: false,
      code: 'invalid',
      message: checked.errors.map((e) => e.message).join(' '),
      fieldErrors: checked.errors,
    };
  }
  const v = checked.value;
  if (existing) {
    const updated: Project = {
      ...existing,
      ...v,
      color: v.color || existing.color,
      keyChangedAt: v.key === existing.key ? existing.keyChangedAt : env.now,
      revision: existing.revision + 1,
      updatedAt: env.now,
    };
    return {
      ok: true,
      state: { ...state, projects: state.projects.map((p) => (p.id === existing.id ? updated : p)) },
      value: updated,
    };
  }
  if (state.nextRuleSlot > MAX_RULE_SLOT) {
    return {
      ok: false,
      code: 'full',
      message:
        'No more projects can be added (rule IDs exhausted). Delete unused projects and export/import to compact.',
    };
  }
  const project: Project = {
    id: env.newId(),
    ...v,
    color: v.color || defaultColour(state.nextRuleSlot),
    ruleSlot: state.nextRuleSlot,
    keyChangedAt: env.now,
    revision: 1,
    createdAt: env.now,
    updatedAt: env.now,
  };
  return {
    ok: true,
    state: { ...state, projects: [...state.projects, project], nextRuleSlot: state.nextRuleSlot + 1 },
    value: project,
  };
}

/** Delete a project; if it was active, the extension switches Off (never silently to another project). */
export function deleteProject(state: KeyringState, id: string): UpdateResult {
  if (!state.projects.some((p) => p.id === id)) {
    return { ok: false, code: 'not-found', message: 'This project no longer exists. Nothing was changed.' };
  }
  return {
    ok: true,
    state: {
      ...state,
      projects: state.projects.filter((p) => p.id !== id),
      activeProjectId: state.activeProjectId === id ? null : state.activeProjectId,
    },
    value: undefined,
  };
}

/**
 * Move a project to position `to` (0-based) in the list. The order is the one the popup, the
 * toolbar's right-click menu and the keyboard shortcut follow; it changes no rule (rule IDs come
 * from each project's slot, not its place in the list).
 */
export function moveProject(state: KeyringState, id: string, to: number): UpdateResult {
  const from = state.projects.findIndex((p) => p.id === id);
  if (from < 0) return { ok: false, code: 'not-found', message: 'This project no longer exists. Nothing was changed.' };
  if (!Number.isInteger(to) || to < 0 || to >= state.projects.length) {
    return {
      ok: false,
      code: 'invalid',
      message: `There is no position ${to + 1} in a list of ${state.projects.length}. Nothing was changed.`,
    };
  }
  if (to === from) return { ok: true, state, value: undefined };
  const projects = state.projects.filter((p) => p.id !== id);
  projects.splice(to, 0, state.projects[from]!);
  return { ok: true, state: { ...state, projects }, value: undefined };
}

/** Make a project active, or switch Off with null. */
export function setActiveProject(state: KeyringState, id: string | null): UpdateResult {
  if (id !== null && !state.projects.some((p) => p.id === id)) {
    return { ok: false, code: 'not-found', message: 'That project no longer exists. Nothing was changed.' };
  }
  return { ok: true, state: { ...state, activeProjectId: id }, value: undefined };
}

/**
 * The next choice for the keyboard shortcut: Off → first project → … → last project → Off.
 * With no projects it stays Off.
 */
export function nextActiveId(state: KeyringState): string | null {
  const current = activeProject(state);
  if (!current) return state.projects[0]?.id ?? null;
  const index = state.projects.indexOf(current);
  return state.projects[index + 1]?.id ?? null;
}

/** Allow pages on `site` (`scheme://host`) to use the credential. */
export function allowSite(state: KeyringState, site: string): UpdateResult {
  if (normaliseSite(site) !== site)
    return { ok: false, code: 'invalid', message: 'Only an http or https site other than a local one can be allowed.' };
  if (state.allowedSites.includes(site)) return { ok: true, state, value: undefined };
  return { ok: true, state: { ...state, allowedSites: [...state.allowedSites, site].sort() }, value: undefined };
}

/** Stop allowing `site`. */
export function revokeSite(state: KeyringState, site: string): UpdateResult {
  if (!state.allowedSites.includes(site))
    return { ok: false, code: 'not-found', message: 'That site is not allowed. Nothing was changed.' };
  return {
    ok: true,
    state: { ...state, allowedSites: state.allowedSites.filter((s) => s !== site) },
    value: undefined,
  };
}

/** The user regenerated the project's key on the OS Data Hub: its age starts again at `now`. */
export function markKeyRotated(state: KeyringState, id: string, now: number): UpdateResult {
  const project = state.projects.find((p) => p.id === id);
  if (!project) return { ok: false, code: 'not-found', message: 'That project no longer exists. Nothing was changed.' };
  return {
    ok: true,
    state: {
      ...state,
      projects: state.projects.map((p) =>
        p.id === id ? { ...p, keyChangedAt: now, revision: p.revision + 1, updatedAt: now } : p,
      ),
    },
    value: undefined,
  };
}
