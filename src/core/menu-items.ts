/** The toolbar icon's context menu (right-click): one radio per project, then Off. */
import { AUTH_MODE_LABELS, type KeyringState } from './project';

export const MENU_ID_PREFIX = 'activate:';
export const MENU_ID_OFF = `${MENU_ID_PREFIX}off`;

export interface MenuItem {
  id: string;
  title: string;
  checked: boolean;
}

/** Chromium caps the action menu at 6 top-level items; more go in a submenu (see background). */
export function menuItemsFor(state: KeyringState): MenuItem[] {
  return [
    ...state.projects.map((p) => ({
      id: `${MENU_ID_PREFIX}${p.id}`,
      title: `${p.name} (${AUTH_MODE_LABELS[p.authMode]})`,
      checked: state.activeProjectId === p.id,
    })),
    { id: MENU_ID_OFF, title: 'Off', checked: state.activeProjectId === null },
  ];
}

/** The project id a menu item selects (null for Off), or undefined for an id that is not ours. */
export function projectIdFromMenuId(menuId: string | number): string | null | undefined {
  const id = String(menuId);
  if (id === MENU_ID_OFF) return null;
  return id.startsWith(MENU_ID_PREFIX) ? id.slice(MENU_ID_PREFIX.length) : undefined;
}
