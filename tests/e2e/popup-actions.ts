/**
 * Popup interactions by role and accessible name, the same names assistive technology uses.
 * Shared by both browsers: each function takes the driver-neutral UiPage (driver.ts), or a
 * Playwright Page as before (wrapped on the fly).
 */
import type { Page } from 'playwright-core';
import type { UiPage } from './driver';
import { isPlaywrightPage, playwrightUi } from './playwright-ui';

export type ModeLabel = 'Key header' | 'Key query parameter' | 'OAuth 2 bearer token';

type PopupPage = Page | UiPage;

const ui = (p: PopupPage): UiPage => (isPlaywrightPage(p) ? playwrightUi(p) : p);

export async function addProject(
  page: PopupPage,
  p: { name: string; key: string; secret?: string; mode: ModeLabel; badge?: string },
): Promise<void> {
  const popup = ui(page);
  // Hidden tabs get no animation frames, which Playwright's actionability checks wait for.
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Add project' }).click();
  // Authentication comes first: the API secret field shows only for OAuth 2.
  await popup.getByRole('radiogroup', { name: 'Authentication' }).getByRole('radio', { name: p.mode }).check();
  await popup.getByRole('textbox', { name: 'Name' }).fill(p.name);
  await popup.getByRole('textbox', { name: 'API key' }).fill(p.key);
  if (p.secret) await popup.getByLabel('API secret').fill(p.secret);
  if (p.badge) await popup.getByRole('textbox', { name: 'Badge text' }).fill(p.badge);
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  await popup.getByRole('radio', { name: p.name, exact: true }).waitFor();
}

export async function activate(page: PopupPage, name: string): Promise<void> {
  const popup = ui(page);
  await popup.bringToFront();
  const radio = popup.getByRole('radiogroup', { name: 'Active project' }).getByRole('radio', { name, exact: true });
  await radio.check();
  await popup.waitForFunction((n) => {
    const text = document.getElementById('status')?.textContent ?? '';
    return n === 'Off' ? text.includes('Off:') : text.includes(`Attaching ${n} `) || text.includes(`Selected ${n},`);
  }, name);
}

/** Edit and Delete sit behind each project's "More actions for <name>" menu button. */
export async function openRowMenu(page: PopupPage, name: string): Promise<void> {
  const popup = ui(page);
  const toggle = popup.getByRole('button', { name: `More actions for ${name}` });
  if (!(await popup.getByRole('button', { name: `Edit ${name}` }).isVisible())) await toggle.click();
  await popup.getByRole('button', { name: `Edit ${name}` }).waitFor();
}

export async function editMode(page: PopupPage, name: string, mode: ModeLabel): Promise<void> {
  const popup = ui(page);
  await popup.bringToFront();
  await openRowMenu(popup, name);
  await popup.getByRole('button', { name: `Edit ${name}` }).click();
  await popup.getByRole('radiogroup', { name: 'Authentication' }).getByRole('radio', { name: mode }).check();
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  await popup.getByRole('button', { name: 'Add project' }).waitFor();
}

/** Open a project's edit form, change fields, save. */
export async function editProject(
  page: PopupPage,
  name: string,
  changes: { secret?: string; mode?: ModeLabel },
): Promise<void> {
  const popup = ui(page);
  await popup.bringToFront();
  await openRowMenu(popup, name);
  await popup.getByRole('button', { name: `Edit ${name}` }).click();
  if (changes.mode)
    await popup.getByRole('radiogroup', { name: 'Authentication' }).getByRole('radio', { name: changes.mode }).check();
  if (changes.secret !== undefined) await popup.getByLabel('API secret').fill(changes.secret);
  await popup.getByRole('button', { name: 'Save', exact: true }).click();
  await popup.getByRole('button', { name: 'Add project' }).waitFor();
}
