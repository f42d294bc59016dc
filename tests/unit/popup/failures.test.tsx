// @vitest-environment happy-dom
/** What the popup shows when the browser refuses a write, or when the stored data is damaged. */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { STATE_STORAGE_KEY, emptyState } from '../../../src/core/project';
import {
  KEY_A,
  KEY_B,
  NOW,
  addProject,
  fillForm,
  findAlert,
  keyField,
  nameField,
  offRadio,
  openAddForm,
  openEditForm,
  openPopup,
  radioNames,
  saveExpectingError,
  stored,
} from './setup-popup';

const DAMAGED = { schemaVersion: 2, projects: 'nope' };
const BACKUP_KEY = `${STATE_STORAGE_KEY}.backup.${NOW}`;

function startAgainButton(): HTMLElement {
  return screen.getByRole('button', { name: /^Start again \(keep a backup/ });
}

describe('a storage write that fails', () => {
  it('explains that a new project was not saved, and keeps the stored state', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    const before = stored(fake);
    await openAddForm();
    fillForm({ name: 'Flood Map', key: KEY_B });
    fake.failWrites = new Error('QUOTA_BYTES quota exceeded');

    const message = await saveExpectingError();

    expect(message).toContain('could not save your change (QUOTA_BYTES quota exceeded)');
    expect(message).toContain('Nothing was changed');
    expect(stored(fake)).toEqual(before);
    expect(nameField().value).toBe('Flood Map');
    expect(keyField().value).toBe(KEY_B);
  });

  it('explains that an edit was not saved, and keeps the stored state', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A, mode: 'header' });
    const before = stored(fake);
    await openEditForm('Roads');
    fillForm({ mode: 'query' });
    fake.failWrites = new Error('QUOTA_BYTES quota exceeded');

    const message = await saveExpectingError();

    expect(message).toContain('QUOTA_BYTES quota exceeded');
    expect(stored(fake)).toEqual(before);
  });
});

describe('damaged stored data', () => {
  it('describes the damage, attaches nothing and leaves the stored value untouched', async () => {
    const { fake } = await openPopup({ stored: DAMAGED });

    const alert = await findAlert('The saved data is damaged');

    expect(alert.textContent).toContain('Your saved data has not been changed');
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(DAMAGED);
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge.text).toBe('!');
    expect(screen.queryByRole('button', { name: 'Add project' })).toBeNull();
  });

  it('a failed upgrade from an older schema says so and leaves the old data readable', async () => {
    const OLD = { schemaVersion: 1, projects: 'not a list', activeProjectId: null, nextRuleSlot: 0 };
    const { fake } = await openPopup({ stored: OLD });

    const alert = await findAlert('Upgrading saved data from schema 1 failed: the project list is missing');

    expect(alert.textContent).toContain('The old data is kept unchanged');
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(OLD);
    expect(fake.sessionRules).toEqual([]);
  });

  it('starts again on request, keeping the old data under a backup key', async () => {
    const { fake } = await openPopup({ stored: DAMAGED });

    fireEvent.click(startAgainButton());

    await waitFor(() => expect(radioNames()).toEqual(['Off']));
    expect(offRadio().checked).toBe(true);
    expect(fake.local.get(BACKUP_KEY)).toEqual(DAMAGED);
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(emptyState());
    expect(screen.queryAllByRole('alert')).toEqual([]);
    expect(fake.badge.text).toBe('');
  });

  it('says so when starting again cannot write, and keeps the damaged data', async () => {
    const { fake } = await openPopup({ stored: DAMAGED });
    fake.failWrites = new Error('QUOTA_BYTES quota exceeded');

    fireEvent.click(startAgainButton());

    await findAlert('QUOTA_BYTES quota exceeded');
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(DAMAGED);
    expect(fake.local.has(BACKUP_KEY)).toBe(false);
    expect(startAgainButton()).toBeTruthy();
  });
});
