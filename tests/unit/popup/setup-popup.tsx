/**
 * Shared setup for the popup tests: a fake browser running the REAL background, and the popup
 * rendered against it through the fake's messaging, exactly as in the browser. Queries go by role
 * and accessible name only: those names are a contract with assistive technology and the e2e tests.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, expect } from 'vitest';
import { startBackground, type Background } from '../../../src/background/start-background';
import { STATE_STORAGE_KEY, type AuthMode, type KeyringState } from '../../../src/core/project';
import { OptionsApp } from '../../../src/options/app';
import { App } from '../../../src/popup/app';
import { createKeyringClient, type KeyringClient } from '../../../src/ui/keyring-client';
import { FakeBrowser } from '../../fakes/fake-browser';
import { FakeEnv } from '../../fakes/fake-env';

// vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  // The options app keeps its page in the URL hash: start each test on its first page.
  history.replaceState(null, '', location.pathname);
});

export const NOW = 1_700_000_000_000;

/** Realistic 32-character OS keys, whose masked forms end in their last 4 characters. */
export const KEY_A = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
export const KEY_B = 'ZyXwVuTsRqPoNmLkJiHgFeDcBa987654';

/** Spelled out rather than imported: the visible labels are part of the accessible-name contract. */
export const MODE_LABEL: Record<AuthMode, string> = {
  header: 'Key header',
  query: 'Key query parameter',
  oauth: 'OAuth 2 bearer token',
};

export interface Popup {
  fake: FakeBrowser;
  background: Background;
  /** The client the popup renders with; tests also send through it to act as "another popup window". */
  client: KeyringClient;
  /** The background's scripted clock, timers and token endpoint. */
  env: FakeEnv;
}

/**
 * Start the background on a fresh fake browser (optionally with something already stored, or a
 * tweak such as unbound shortcuts), render the popup and wait until it has loaded. With
 * `withOptionsPage`, the options page is rendered too (below the popup, on the same background),
 * as when both are open; `requestNotifications` stands in for the browser's permission prompt.
 */
export async function openPopup(
  options: {
    stored?: unknown;
    prepare?: (fake: FakeBrowser) => void;
    withOptionsPage?: boolean;
    requestNotifications?: () => Promise<boolean>;
    tab?: { id: number; url?: string };
  } = {},
): Promise<Popup> {
  const fake = new FakeBrowser();
  if ('stored' in options) fake.local.set(STATE_STORAGE_KEY, structuredClone(options.stored));
  options.prepare?.(fake);
  let n = 0;
  const env = new FakeEnv();
  env.time = NOW;
  env.newId = () => `id-${++n}`;
  const background = startBackground(fake, env);
  await background.ready;
  const client = createKeyringClient(fake);
  render(<App client={client} openOptions={() => undefined} {...(options.tab ? { tab: options.tab } : {})} />);
  if (options.withOptionsPage)
    render(
      <OptionsApp
        client={client}
        requestNotifications={options.requestNotifications ?? (() => Promise.resolve(true))}
      />,
    );
  await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
  return { fake, background, client, env };
}

/** The stored document, as the background wrote it. */
export function stored(fake: FakeBrowser): KeyringState {
  return structuredClone(fake.local.get(STATE_STORAGE_KEY)) as KeyringState;
}

// --- the list view ---

export function activeGroup(): HTMLElement {
  return screen.getByRole('radiogroup', { name: 'Active project' });
}

export function projectRadio(name: string): HTMLInputElement {
  return within(activeGroup()).getByRole<HTMLInputElement>('radio', { name });
}

/** The accessible description of a project's radio: its mode and masked key. */
export function radioDescription(name: string): string {
  let description = '';
  within(activeGroup()).getByRole('radio', {
    name,
    description: (text) => {
      description = text;
      return true;
    },
  });
  return description;
}

/** Wait for a project's radio to appear (the list reloads when storage changes). */
export async function findProjectRadio(name: string): Promise<HTMLInputElement> {
  return within(activeGroup()).findByRole<HTMLInputElement>('radio', { name });
}

export function offRadio(): HTMLInputElement {
  return projectRadio('Off');
}

/** Accessible names of the radios in the "Active project" group, in order (Off last). */
export function radioNames(): string[] {
  const names: string[] = [];
  within(activeGroup()).getAllByRole('radio', {
    name: (accessibleName) => {
      names.push(accessibleName);
      return true;
    },
  });
  return names;
}

/** The live status line above the list ("Attaching … to requests for api.os.uk." or "Off: …"). */
export function statusLine(): HTMLElement {
  return screen.getByText(/^(Attaching|Selected|Off: )/);
}

/**
 * Click a radio in the active-project group and wait until the popup reports the background's
 * answer in the status line (which it only does once the change is saved and applied).
 */
export async function choose(name: string): Promise<void> {
  fireEvent.click(projectRadio(name));
  await waitFor(() => {
    expect(statusLine().textContent).toContain(
      name === 'Off' ? 'Off: no credential is attached.' : `Attaching ${name} as`,
    );
    expect(projectRadio(name).checked).toBe(true);
  });
}

// --- the form ---

export interface FormValues {
  name?: string;
  key?: string;
  secret?: string;
  mode?: AuthMode;
}

export function nameField(): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>('textbox', { name: 'Name' });
}

export function keyField(): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>('textbox', { name: 'API key' });
}

/** Password inputs have no role, so this one is found by its label. */
export function secretField(): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>('API secret');
}

export function modeRadio(mode: AuthMode): HTMLInputElement {
  const group = screen.getByRole('radiogroup', { name: 'Authentication' });
  return within(group).getByRole<HTMLInputElement>('radio', { name: MODE_LABEL[mode] });
}

export async function openAddForm(): Promise<void> {
  fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
  await screen.findByRole('textbox', { name: 'Name' });
}

/** Edit and Delete are behind each project's "More actions for <name>" menu button. */
export function openRowMenu(name: string): void {
  if (!screen.queryByRole('button', { name: `Edit ${name}` }))
    fireEvent.click(screen.getByRole('button', { name: `More actions for ${name}` }));
}

/** Go to a page of the options app (rendered with `withOptionsPage`), as its navigation link does. */
export async function goToOptionsPage(label: string): Promise<void> {
  location.hash = label.toLowerCase();
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  await screen.findByRole('heading', { name: label, exact: true });
}

export async function openEditForm(name: string): Promise<void> {
  openRowMenu(name);
  fireEvent.click(screen.getByRole('button', { name: `Edit ${name}` }));
  await screen.findByRole('textbox', { name: 'Name' });
}

/** Type into the fields given (others are left as they are). */
export function fillForm(values: FormValues): void {
  // Authentication first: the API secret field shows only for OAuth 2.
  if (values.mode !== undefined) fireEvent.click(modeRadio(values.mode));
  if (values.name !== undefined) fireEvent.input(nameField(), { target: { value: values.name } });
  if (values.key !== undefined) fireEvent.input(keyField(), { target: { value: values.key } });
  if (values.secret !== undefined) fireEvent.input(secretField(), { target: { value: values.secret } });
}

export function clickSave(): void {
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
}

/** Save and wait for the popup to return to the list. */
export async function saveAndReturnToList(): Promise<void> {
  clickSave();
  await waitFor(() => expect(screen.queryByRole('button', { name: 'Save' })).toBeNull());
  await screen.findByRole('radiogroup', { name: 'Active project' });
}

/** Save expecting a refusal; resolves with the text of the form's alert. */
export async function saveExpectingError(): Promise<string> {
  clickSave();
  const alert = screen.getByRole('alert');
  await waitFor(() => expect(alert.textContent).toMatch(/Not saved/));
  return alert.textContent ?? '';
}

/** Add a project through the form, the way a user does. */
export async function addProject(values: FormValues & { name: string; key: string }): Promise<void> {
  await openAddForm();
  fillForm(values);
  await saveAndReturnToList();
  await findProjectRadio(values.name);
}

/** Wait for an alert containing `text` (in the list or damaged views). */
export async function findAlert(text: string | RegExp, timeout = 5_000): Promise<HTMLElement> {
  return waitFor(
    () => {
      const match = screen
        .queryAllByRole('alert')
        .find((a) => (typeof text === 'string' ? a.textContent?.includes(text) : text.test(a.textContent ?? '')));
      if (!match)
        throw new Error(
          `No alert containing ${String(text)}; alerts: ${screen
            .queryAllByRole('alert')
            .map((a) => a.textContent)
            .join(' | ')}`,
        );
      return match;
    },
    // Generous: a passphrase check runs 600,000 PBKDF2 rounds, slow on a loaded machine.
    { timeout },
  );
}
