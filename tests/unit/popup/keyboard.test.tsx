// @vitest-environment happy-dom
/** Keyboard use: native controls in tab order, focus placed sensibly, the shortcut shown. */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { KEY_A, addProject, fillForm, nameField, openAddForm, openPopup, stored, openRowMenu } from './setup-popup';

const INTERACTIVE_ROLES = ['button', 'radio', 'textbox'] as const;
const NATIVE_TAGS = new Set(['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'A']);

/**
 * Every control the user can operate is a native element (so it takes focus, Space and Enter by
 * itself) and none is taken out of, or reordered in, the tab sequence.
 */
function expectAllReachableByKeyboard(): void {
  const controls = INTERACTIVE_ROLES.flatMap((role) => screen.queryAllByRole(role));
  // Password inputs have no role; the form's secret field is found by its label.
  const secret = screen.queryByLabelText('API secret');
  if (secret) controls.push(secret);
  expect(controls.length).toBeGreaterThan(0);
  for (const control of controls) {
    expect(NATIVE_TAGS.has(control.tagName), `${control.outerHTML} is not a native control`).toBe(true);
    expect(control.tabIndex, `${control.outerHTML} is out of the tab order`).toBeGreaterThanOrEqual(0);
  }
  for (const el of document.querySelectorAll<HTMLElement>('[tabindex]')) {
    expect(Number(el.getAttribute('tabindex')), `${el.outerHTML} has a positive tabindex`).toBeLessThanOrEqual(0);
  }
}

describe('keyboard use', () => {
  it('keeps every control of the list reachable', async () => {
    await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });

    expectAllReachableByKeyboard();
  });

  it('keeps every control of the form reachable and puts focus on Name', async () => {
    await openPopup();
    await openAddForm();

    expectAllReachableByKeyboard();
    await waitFor(() => expect(document.activeElement).toBe(nameField()));
  });

  it('saves the form on Enter (a real form with a submit button)', async () => {
    const { fake } = await openPopup();
    await openAddForm();
    fillForm({ name: 'Roads', key: KEY_A });
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save' });
    expect(save.type).toBe('submit');

    fireEvent.submit(save.form as HTMLFormElement);

    await screen.findByRole('button', { name: 'Add project' });
    expect(stored(fake).projects.map((p) => p.name)).toEqual(['Roads']);
  });

  it('returns focus to Add project when the form is cancelled', async () => {
    await openPopup();
    await openAddForm();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    const add = await screen.findByRole('button', { name: 'Add project' });
    await waitFor(() => expect(document.activeElement).toBe(add));
  });

  it('focuses Confirm delete, and returns focus to the Delete button on Cancel', async () => {
    await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    openRowMenu('Roads');
    fireEvent.click(screen.getByRole('button', { name: 'Delete Roads' }));

    const confirm = await screen.findByRole('button', { name: 'Confirm delete' });
    expect(document.activeElement).toBe(confirm);
    expectAllReachableByKeyboard();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete Roads' })));
  });

  it('shows the shortcut the browser reports', async () => {
    await openPopup();

    expect(screen.getByText('Alt+Shift+K').tagName).toBe('KBD');
  });

  it('says when no shortcut is set', async () => {
    await openPopup({ prepare: (fake) => (fake.shortcuts = {}) });

    expect(screen.getByText(/No keyboard shortcut is set/)).toBeTruthy();
  });
});
