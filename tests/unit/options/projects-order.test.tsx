// @vitest-environment happy-dom
/**
 * Reordering projects on the options page (Projects), against the REAL background on a fake
 * browser with the popup open beside it: Move up / Move down have accessible names, are plain
 * buttons (so Tab, Enter and Space work), keep focus on the moved project, say what happened,
 * and the new order is stored and followed by the popup and the toolbar's right-click menu,
 * without touching the installed rules.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEY_A, KEY_B, addProject, choose, goToOptionsPage, openPopup, radioNames, stored } from '../popup/setup-popup';

const KEY_C = 'CcCcCcCcCcCcCcCcCcCcCcCcCcCc0003';

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
  history.replaceState(null, '', location.pathname);
});

const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

async function withThreeProjects() {
  const popup = await openPopup({ withOptionsPage: true });
  await addProject({ name: 'Alpha', key: KEY_A });
  await addProject({ name: 'Beta', key: KEY_B });
  await addProject({ name: 'Gamma', key: KEY_C });
  await choose('Beta');
  await goToOptionsPage('Projects');
  return popup;
}

describe('Projects: reorder', () => {
  it('Move up stores the new order; the popup and the right-click menu follow; the rules do not change', async () => {
    const { fake } = await withThreeProjects();
    const rulesBefore = structuredClone(fake.sessionRules);
    fireEvent.click(button('Move Gamma up'));
    await screen.findByText('Moved Gamma to position 2 of 3.');
    expect(stored(fake).projects.map((p) => p.name)).toEqual(['Alpha', 'Gamma', 'Beta']);
    await waitFor(() => expect(radioNames()).toEqual(['Alpha', 'Gamma', 'Beta', 'Off']));
    await waitFor(() =>
      expect(fake.menu.map((m) => m.title)).toEqual([
        'Alpha (Key header)',
        'Gamma (Key header)',
        'Beta (Key header)',
        'Off',
      ]),
    );
    expect(fake.sessionRules).toEqual(rulesBefore);
    expect(stored(fake).activeProjectId).toBe(stored(fake).projects.find((p) => p.name === 'Beta')!.id);
  });

  it('focus stays on the moved project: on the same button, or the other one at an end', async () => {
    await withThreeProjects();
    button('Move Gamma up').focus();
    fireEvent.click(button('Move Gamma up'));
    await screen.findByText('Moved Gamma to position 2 of 3.');
    await nextFrame();
    expect(document.activeElement).toBe(button('Move Gamma up'));
    fireEvent.click(button('Move Gamma up'));
    await screen.findByText('Moved Gamma to position 1 of 3.');
    await nextFrame();
    // At the top, Move up is disabled: focus moves to Move down rather than being lost.
    expect(button('Move Gamma up').disabled).toBe(true);
    expect(document.activeElement).toBe(button('Move Gamma down'));
    expect(button('Move Beta down').disabled).toBe(true);
  });

  it('Move down; the ends cannot move past the list', async () => {
    const { fake } = await withThreeProjects();
    expect(button('Move Alpha up').disabled).toBe(true);
    expect(button('Move Gamma down').disabled).toBe(true);
    fireEvent.click(button('Move Alpha down'));
    await screen.findByText('Moved Alpha to position 2 of 3.');
    expect(stored(fake).projects.map((p) => p.name)).toEqual(['Beta', 'Alpha', 'Gamma']);
  });

  it('the buttons are named for their project and grouped per row', async () => {
    await withThreeProjects();
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const group = screen.getByRole('group', { name: `Order of ${name}` });
      expect(Array.from(group.querySelectorAll('button')).map((b) => b.getAttribute('aria-label'))).toEqual([
        `Move ${name} up`,
        `Move ${name} down`,
      ]);
      expect(Array.from(group.querySelectorAll('button')).every((b) => b.type === 'button')).toBe(true);
    }
  });
});
