/** What the toolbar button shows for a state: badge text and colour, tooltip, icon variant. */
import { AUTH_MODE_LABELS, activeProject, type KeyringState } from './project';

export interface ToolbarView {
  badgeText: string;
  badgeColor: string;
  title: string;
  icon: 'active' | 'off';
}

export const PRODUCT_NAME = 'OS API Keyring';
export const ERROR_BADGE_COLOUR = '#d4351c';
/** Warnings (unseen alerts): amber, distinct from the red of "nothing is attached". */
export const WARNING_BADGE_COLOUR = '#b35900';

/**
 * Why the active project has no credential on the wire right now (OAuth only):
 * `rejected` (key/secret refused), `unavailable` (no usable token: fetching, or failing).
 */
export type CredentialProblem = 'rejected' | 'unavailable' | null;

/** The toolbar for a readable state. Off: no badge and the muted icon. */
export function toolbarFor(
  state: KeyringState,
  problem: CredentialProblem = null,
  warning: string | null = null,
): ToolbarView {
  return withWarning(baseToolbar(state, problem), warning);
}

/** An unseen alert turns the badge amber with "!" (unless it already shows the red error state). */
export function withWarning(view: ToolbarView, warning: string | null): ToolbarView {
  if (!warning || view.badgeColor === ERROR_BADGE_COLOUR) return view;
  return {
    ...view,
    badgeText: '!',
    badgeColor: WARNING_BADGE_COLOUR,
    title: `${view.title}. Alert: ${warning} Open the popup.`,
  };
}

function baseToolbar(state: KeyringState, problem: CredentialProblem): ToolbarView {
  const project = activeProject(state);
  if (!project)
    return {
      badgeText: '',
      badgeColor: '#505a5f',
      title: `${PRODUCT_NAME}: Off (no credential attached)`,
      icon: 'off',
    };
  if (problem) {
    const why = problem === 'rejected' ? 'OS rejected the key or secret' : 'no valid token yet';
    return {
      badgeText: '!',
      badgeColor: ERROR_BADGE_COLOUR,
      title: `${PRODUCT_NAME}: ${project.name} (${AUTH_MODE_LABELS[project.authMode]}): ${why}; nothing is attached. Open the popup.`,
      icon: 'active',
    };
  }
  return {
    badgeText: project.badgeText,
    badgeColor: project.color,
    title: `${PRODUCT_NAME}: ${project.name} (${AUTH_MODE_LABELS[project.authMode]})`,
    icon: 'active',
  };
}

/** The toolbar when stored data cannot be read: nothing is attached, and the user is sent to the popup. */
export function toolbarForDamagedState(): ToolbarView {
  return {
    badgeText: '!',
    badgeColor: ERROR_BADGE_COLOUR,
    title: `${PRODUCT_NAME}: saved data could not be read; open the popup`,
    icon: 'off',
  };
}

/** The browser refused a rule update: every rule of ours was removed, so nothing is attached (fail closed). */
export function toolbarForRefusedRules(): ToolbarView {
  return {
    badgeText: '!',
    badgeColor: ERROR_BADGE_COLOUR,
    title: `${PRODUCT_NAME}: the browser refused the request rules; nothing is attached. Open the popup.`,
    icon: 'off',
  };
}

/** The toolbar while the passphrase lock is locked: nothing is attached until the user unlocks in the popup. */
export function toolbarForLocked(): ToolbarView {
  return {
    badgeText: 'LOCK',
    badgeColor: '#505a5f',
    title: `${PRODUCT_NAME}: locked: open the popup to unlock`,
    icon: 'off',
  };
}
