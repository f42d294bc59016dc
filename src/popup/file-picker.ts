/**
 * Firefox closes an extension's toolbar popup as soon as a file chooser opens (Mozilla bug
 * 1292701), so a file chosen there never reaches the popup. In Firefox the import is therefore
 * done from the same page opened in a tab (`?view=tab`), where the chooser works.
 */

/** The popup page as a tab, where a file chooser does not close it. */
export const IMPORT_TAB_QUERY = '?view=tab';

export function filePickerClosesPopup(mode: string = import.meta.env.MODE, search: string = location.search): boolean {
  return mode === 'firefox' && new URLSearchParams(search).get('view') !== 'tab';
}
