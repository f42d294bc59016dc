// @vitest-environment happy-dom
/** The list view: empty state, choosing the active project, Off. */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import {
  KEY_A,
  KEY_B,
  addProject,
  choose,
  offRadio,
  openPopup,
  projectRadio,
  radioNames,
  statusLine,
  stored,
} from './setup-popup';

describe('popup list', () => {
  it('shows the empty hint with Off chosen and no project radios', async () => {
    await openPopup();

    expect(screen.getByText(/No projects yet/)).toBeTruthy();
    expect(radioNames()).toEqual(['Off']);
    expect(offRadio().checked).toBe(true);
    expect(statusLine().textContent).toBe('Off: no credential is attached.');
  });

  it('activates a project when its radio is chosen: rules carry its key and the badge shows its text', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Flood Map', key: KEY_A, mode: 'header' });
    await addProject({ name: 'Roads', key: KEY_B, mode: 'query' });

    await choose('Roads');

    expect(stored(fake).activeProjectId).toBe('id-2');
    expect(fake.sessionRules.length).toBeGreaterThan(0);
    expect(JSON.stringify(fake.sessionRules)).toContain(KEY_B);
    expect(JSON.stringify(fake.sessionRules)).not.toContain(KEY_A);
    expect(fake.badge.text).toBe('ROAD');
    expect(offRadio().checked).toBe(false);
    expect(projectRadio('Flood Map').checked).toBe(false);
    expect(statusLine().textContent).toContain(`(key ••••••••${KEY_B.slice(-4)}) to requests for api.os.uk`);
  });

  it('never shows the full key of the active project', async () => {
    await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await choose('Roads');

    expect(document.body.innerHTML).not.toContain(KEY_A);
    expect(document.body.textContent).toContain(`••••••••${KEY_A.slice(-4)}`);
  });

  it('clears the rules and the badge when Off is chosen', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await choose('Roads');

    await choose('Off');

    expect(stored(fake).activeProjectId).toBeNull();
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge.text).toBe('');
    expect(projectRadio('Roads').checked).toBe(false);
  });

  it('follows a change made elsewhere (the keyboard shortcut) without reopening', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });

    fake.events.onCommand.dispatch('cycle-project');

    await waitFor(() => expect(projectRadio('Roads').checked).toBe(true));
    expect(fake.badge.text).toBe('ROAD');
  });

  it('keeps the previous choice checked when activating fails', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    fake.failWrites = new Error('QUOTA_BYTES quota exceeded');

    fireEvent.click(projectRadio('Roads'));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not save your change');
    await waitFor(() => expect(offRadio().checked).toBe(true));
    expect(projectRadio('Roads').checked).toBe(false);
    expect(stored(fake).activeProjectId).toBeNull();
    expect(fake.sessionRules).toEqual([]);
  });
});
