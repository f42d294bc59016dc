// @vitest-environment happy-dom
/** The "Passphrase lock" section and the locked popup, against the real background on the fake browser. */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { KEY_A, addProject, choose, findAlert, goToOptionsPage, openPopup, statusLine, stored } from './setup-popup';

const PASS = 'correct horse battery';

function type(label: string, value: string): void {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

/** The lock is set up on the options page (Settings); the popup keeps Lock now and Unlock. */
async function turnOnLock(): Promise<void> {
  await goToOptionsPage('Settings');
  fireEvent.click(screen.getByText('Passphrase lock'));
  type('New passphrase', PASS);
  type('Repeat passphrase', PASS);
  fireEvent.click(screen.getByRole('button', { name: 'Turn on lock' }));
  // Both pages follow: the options page's lock section, and the popup's Lock now.
  await screen.findByRole('button', { name: 'Change passphrase' }, { timeout: 10_000 });
  await waitFor(() => expect(screen.getAllByRole('button', { name: 'Lock now' })).toHaveLength(2), { timeout: 10_000 });
}

/** Back to the options page's Activity, leaving the popup as the only place with lock controls. */
async function leaveSettings(): Promise<void> {
  await goToOptionsPage('Activity');
}

/** The popup's Lock now, with the options page moved off its lock section. */
async function lockNow(): Promise<void> {
  await leaveSettings();
  fireEvent.click(screen.getByRole('button', { name: 'Lock now' }));
  await screen.findByRole('button', { name: 'Unlock' }, { timeout: 10_000 });
}

// The lock is turned on in the options page rendered beside the popup (600,000 PBKDF2 rounds each time): give it time.
describe('passphrase lock in the popup', { timeout: 20_000 }, () => {
  it('turning it on stores no key; the section then offers Lock now, Change, Turn off and Forgot', async () => {
    const { fake } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    await turnOnLock();
    expect(JSON.stringify(stored(fake))).not.toContain(KEY_A);
    expect(stored(fake).lock).not.toBeNull();
    for (const name of ['Change passphrase', 'Turn off lock', 'Forgot passphrase'])
      expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/The lock is on/);
  });

  it('different passphrases in the two fields: an alert, and the lock stays off', async () => {
    const { fake } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    await goToOptionsPage('Settings');
    fireEvent.click(screen.getByText('Passphrase lock'));
    type('New passphrase', PASS);
    type('Repeat passphrase', 'something else entirely');
    fireEvent.click(screen.getByRole('button', { name: 'Turn on lock' }));
    await findAlert(/two passphrases are different/);
    expect(stored(fake).lock).toBeNull();
  });

  it('locked: the popup leads with the passphrase field, lists names only; wrong passphrase → alert; right one unlocks', async () => {
    const { fake } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    await choose('Roads');
    await turnOnLock();
    await lockNow();
    expect(fake.sessionRules).toEqual([]);
    expect(screen.getByRole('heading', { name: 'Locked' })).toBeTruthy();
    expect(screen.getByText('Roads (selected)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add project' })).toBeNull();
    expect(screen.queryByText('Export and import')).toBeNull();

    type('Passphrase', 'not my passphrase');
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await findAlert(/^Wrong passphrase/);
    expect(screen.getByRole('button', { name: 'Unlock' })).toBeTruthy();

    type('Passphrase', PASS);
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await screen.findByRole('button', { name: 'Add project' });
    await waitFor(() => expect(fake.sessionRules.length).toBeGreaterThan(0));
  });

  it('change passphrase, then turn the lock off with the new one: the key is stored as before', async () => {
    const { fake } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    await turnOnLock();
    fireEvent.click(screen.getByRole('button', { name: 'Change passphrase' }));
    type('Current passphrase', PASS);
    type('New passphrase', 'a brand new passphrase');
    fireEvent.click(screen.getByRole('button', { name: 'Save new passphrase' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Passphrase changed.'), {
      timeout: 10_000,
    });

    fireEvent.click(screen.getByRole('button', { name: 'Turn off lock' }));
    type('Passphrase to turn off', PASS);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm turn off lock' }));
    await findAlert(/^Wrong passphrase/);
    type('Passphrase to turn off', 'a brand new passphrase');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm turn off lock' }));
    await screen.findByRole('button', { name: 'Turn on lock' }, { timeout: 10_000 });
    expect(stored(fake).lock).toBeNull();
    expect(stored(fake).projects[0]!.key).toBe(KEY_A);
  });

  it('forgot passphrase while locked: explained, then confirmed; names kept, keys cleared, lock off', async () => {
    const { fake } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    await turnOnLock();
    await lockNow();
    fireEvent.click(screen.getByRole('button', { name: 'Forgot passphrase' }));
    expect(screen.getByText(/Nothing can open the keys without the passphrase/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm clear secrets' }));
    await screen.findByRole('button', { name: 'Add project' });
    expect(stored(fake).lock).toBeNull();
    expect(stored(fake).projects.map((p) => [p.name, p.key])).toEqual([['Roads', '']]);
  });

  it('after forgetting, an active project without a key is shown as attaching nothing', async () => {
    const { fake } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    await choose('Roads');
    await turnOnLock();
    await lockNow();
    fireEvent.click(screen.getByRole('button', { name: 'Forgot passphrase' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm clear secrets' }));
    await waitFor(() =>
      expect(statusLine().textContent).toContain('Selected Roads, but nothing is attached: it has no key.'),
    );
    expect(fake.sessionRules.filter((r) => r.action.type !== 'allow')).toEqual([]);
  });
});
