/**
 * Popup interactions for the bench, by role and accessible name (as in tests/e2e/popup-actions.ts,
 * kept here so the bench does not depend on test helpers that change with the test suite).
 */

/**
 * @param {import('playwright-core').Page} popup
 * @param {{ name: string, key: string, secret?: string, mode: 'Key header' | 'Key query parameter' | 'OAuth 2 bearer token' }} project
 */
export async function addProject(popup, { name, key, secret, mode }) {
  // Hidden tabs get no animation frames, which Playwright's actionability checks wait for.
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Add project' }).click();
  await popup.getByRole('textbox', { name: 'Name' }).fill(name);
  await popup.getByRole('textbox', { name: 'API key' }).fill(key);
  // Authentication comes first in the form, and the API secret field only appears once a mode needs it.
  await popup.getByRole('radiogroup', { name: 'Authentication' }).getByRole('radio', { name: mode }).check();
  if (secret) await popup.getByLabel('API secret').fill(secret);
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  await popup.getByRole('radio', { name, exact: true }).waitFor();
}

/** The radio for a project (or 'Off') under "Active project". */
export const activeRadio = (popup, name) =>
  popup.getByRole('radiogroup', { name: 'Active project' }).getByRole('radio', { name, exact: true });

/** Click a project's radio; the caller waits for whatever proves the switch happened. */
export async function clickActive(popup, name) {
  await popup.bringToFront();
  await activeRadio(popup, name).click();
}
