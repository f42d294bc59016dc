// @vitest-environment happy-dom
/** Adding a project through the form, and the form's validation messages. */
import { fireEvent, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import {
  KEY_A,
  KEY_B,
  addProject,
  clickSave,
  fillForm,
  findProjectRadio,
  keyField,
  modeRadio,
  nameField,
  offRadio,
  openAddForm,
  openPopup,
  radioDescription,
  saveAndReturnToList,
  saveExpectingError,
  secretField,
  stored,
} from './setup-popup';

describe('adding a project', () => {
  it('offers Key header by default, Key query parameter and OAuth 2 bearer token', async () => {
    await openPopup();
    await openAddForm();

    expect(modeRadio('header').checked).toBe(true);
    expect(modeRadio('query').disabled).toBe(false);
    expect(modeRadio('oauth').disabled).toBe(false);
  });

  it('says what Key query parameter exposes while it is chosen, and only then', async () => {
    await openPopup();
    await openAddForm();
    const exposure = /The key goes in the URL: page scripts can read it/;
    expect(screen.queryByText(exposure)).toBeNull();
    fillForm({ mode: 'query' });
    const note = screen.getByText(exposure);
    expect(note.textContent).toContain('Choose Key header or OAuth 2 unless your client needs ?key=.');
    // Read with the radio by assistive technology.
    expect(modeRadio('query').getAttribute('aria-describedby')?.split(' ')).toContain(note.id);
    fillForm({ mode: 'header' });
    expect(screen.queryByText(exposure)).toBeNull();
  });

  it('has an API secret field for OAuth 2 only, that hides what is typed', async () => {
    await openPopup();
    await openAddForm();
    // Authentication comes first; the key modes need no secret, so none is asked for.
    expect(screen.queryByLabelText('API secret')).toBeNull();
    fillForm({ mode: 'oauth' });

    expect(secretField().type).toBe('password');
    expect(secretField().required).toBe(false);
  });

  it('lists the saved project with its mode and masked key, without activating it', async () => {
    const { fake } = await openPopup();
    await openAddForm();
    fillForm({ name: 'Roads', key: KEY_A, mode: 'query' });
    await saveAndReturnToList();

    expect((await findProjectRadio('Roads')).checked).toBe(false);
    expect(offRadio().checked).toBe(true);
    expect(radioDescription('Roads')).toBe(`Key query parameter · key ••••••••${KEY_A.slice(-4)}`);
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge.text).toBe('');
    const state = stored(fake);
    expect(state.activeProjectId).toBeNull();
    expect(state.projects).toMatchObject([
      { id: 'id-1', name: 'Roads', key: KEY_A, secret: '', authMode: 'query', badgeText: 'ROAD', revision: 1 },
    ]);
  });

  it('never puts the full key in the page', async () => {
    await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });

    expect(document.body.innerHTML).not.toContain(KEY_A);
    expect(document.body.innerHTML).not.toContain(KEY_A.slice(0, -4));
  });

  it('stores a secret when one is given', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A, secret: 's3cr3t!', mode: 'oauth' });

    expect(stored(fake).projects[0]?.secret).toBe('s3cr3t!');
    expect(document.body.innerHTML).not.toContain('s3cr3t!');
  });

  it('returns to the list without saving on Cancel', async () => {
    const { fake } = await openPopup();
    const before = stored(fake);
    await openAddForm();
    fillForm({ name: 'Roads', key: KEY_A });

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    await screen.findByRole('button', { name: 'Add project' });
    expect(stored(fake)).toEqual(before);
  });
});

describe('form validation', () => {
  it('says where a space in the key is, and saves nothing', async () => {
    const { fake } = await openPopup();
    const before = stored(fake);
    await openAddForm();
    fillForm({ name: 'Roads', key: 'abcd efgh' });

    const message = await saveExpectingError();

    expect(message).toContain('a space');
    expect(message).toContain('character 5');
    expect(stored(fake)).toEqual(before);
  });

  it('names an "&" in the key', async () => {
    const { fake } = await openPopup();
    const before = stored(fake);
    await openAddForm();
    fillForm({ name: 'Roads', key: 'abc&def' });

    const message = await saveExpectingError();

    expect(message).toContain('“&”');
    expect(stored(fake)).toEqual(before);
  });

  it('refuses a name already used, whatever its case', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    const before = stored(fake);
    await openAddForm();
    fillForm({ name: 'ROADS', key: KEY_B });

    const message = await saveExpectingError();

    expect(message).toContain('A project called “ROADS” already exists');
    expect(stored(fake)).toEqual(before);
  });

  it('asks for a name when it is empty', async () => {
    const { fake } = await openPopup();
    const before = stored(fake);
    await openAddForm();
    fillForm({ key: KEY_A });

    const message = await saveExpectingError();

    expect(message).toContain('Enter a name for the project.');
    expect(stored(fake)).toEqual(before);
  });

  it('keeps what was typed after a refused save', async () => {
    await openPopup();
    await openAddForm();
    fillForm({ name: 'Roads', key: 'abcd efgh', secret: 'pw', mode: 'oauth' });

    await saveExpectingError();

    expect(nameField().value).toBe('Roads');
    expect(keyField().value).toBe('abcd efgh');
    expect(secretField().value).toBe('pw');
    expect(modeRadio('oauth').checked).toBe(true);
  });

  it('marks only the fields in error as invalid, and describes them with their message', async () => {
    await openPopup();
    await openAddForm();
    fillForm({ name: '', key: 'abc&def' });

    await saveExpectingError();

    expect(nameField().getAttribute('aria-invalid')).toBe('true');
    expect(keyField().getAttribute('aria-invalid')).toBe('true');
    // No secret field for a key header (OAuth 2 only), so nothing else is marked.
    expect(screen.queryByLabelText('API secret')).toBeNull();
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(2);
    const keyDescription = (keyField().getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent);
    expect(keyDescription.join(' ')).toContain('“&”');
  });

  it('clears the error once a corrected form is saved', async () => {
    const { fake } = await openPopup();
    await openAddForm();
    fillForm({ name: 'Roads', key: 'abcd efgh' });
    await saveExpectingError();

    fillForm({ key: KEY_A });
    clickSave();

    await screen.findByRole('button', { name: 'Add project' });
    expect(stored(fake).projects.map((p) => p.name)).toEqual(['Roads']);
  });
});
