// Toolbar, context menu and redaction: how the state is shown.
import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { MENU_ID_OFF, menuItemsFor, projectIdFromMenuId } from './menu-items';
import { maskKey, redactProject } from './redact';
import { toolbarFor, toolbarForDamagedState } from './toolbar';

describe('toolbarFor', () => {
  it('Off: no badge, muted icon, title says Off', () => {
    expect(toolbarFor(stateWith([project({ id: 'a', name: 'A' })]))).toEqual({
      badgeText: '',
      badgeColor: '#505a5f',
      title: 'OS API Keyring: Off (no credential attached)',
      icon: 'off',
    });
  });
  it('active: badge text and colour of the project, title names project and mode', () => {
    const state = stateWith(
      [project({ id: 'a', name: 'Staging', badgeText: 'STG', color: '#00703c', authMode: 'query' })],
      'a',
    );
    expect(toolbarFor(state)).toEqual({
      badgeText: 'STG',
      badgeColor: '#00703c',
      title: 'OS API Keyring: Staging (Key query parameter)',
      icon: 'active',
    });
  });
  it('damaged data: an error badge that sends the user to the popup', () => {
    expect(toolbarForDamagedState()).toMatchObject({
      badgeText: '!',
      icon: 'off',
      title: expect.stringMatching(/open the popup/),
    });
  });
});

describe('menuItemsFor', () => {
  it('lists every project then Off, with the active one checked', () => {
    const state = stateWith(
      [project({ id: 'a', name: 'A', ruleSlot: 0 }), project({ id: 'b', name: 'B', ruleSlot: 1, authMode: 'query' })],
      'b',
    );
    expect(menuItemsFor(state)).toEqual([
      { id: 'activate:a', title: 'A (Key header)', checked: false },
      { id: 'activate:b', title: 'B (Key query parameter)', checked: true },
      { id: MENU_ID_OFF, title: 'Off', checked: false },
    ]);
  });
  it('maps menu ids back to projects and ignores foreign ids', () => {
    expect(projectIdFromMenuId('activate:b')).toBe('b');
    expect(projectIdFromMenuId(MENU_ID_OFF)).toBeNull();
    expect(projectIdFromMenuId('something-else')).toBeUndefined();
  });
});

describe('redaction', () => {
  it('shows only the last 4 characters of a key, none of a short one', () => {
    expect(maskKey('abcdefghijkl1234')).toBe('••••••••1234');
    expect(maskKey('short')).toBe('••••••••');
    // The boundary: a key of 8 characters or fewer shows nothing; from 9 on, the last 4.
    expect(maskKey('12345678')).toBe('••••••••');
    expect(maskKey('123456789')).toBe('••••••••6789');
    expect(maskKey('')).toBe('••••••••');
  });
  it('a redacted project carries no key or secret', () => {
    const p = project({ id: 'a', name: 'A', key: 'VERYSECRETKEY9876', secret: 'TOPSECRET' });
    const text = JSON.stringify(redactProject(p));
    expect(text).not.toContain('VERYSECRETKEY');
    expect(text).not.toContain('TOPSECRET');
    expect(redactProject(p)).toMatchObject({ maskedKey: '••••••••9876', hasSecret: true });
  });
  it('says whether a key and a secret are set (a cleared key cannot be attached), and nothing more', () => {
    const p = project({ id: 'a', name: 'A', key: 'VERYSECRETKEY9876', secret: 'TOPSECRET' });
    expect(redactProject(p)).toMatchObject({ hasKey: true, hasSecret: true });
    expect(redactProject({ ...p, key: '', secret: '' })).toMatchObject({
      maskedKey: '••••••••',
      hasKey: false,
      hasSecret: false,
    });
    expect(redactProject({ ...p, key: 'K', secret: '' })).toMatchObject({ hasKey: true, hasSecret: false });
    expect(Object.keys(redactProject(p)).sort()).toEqual([
      'authMode',
      'badgeText',
      'color',
      'hasKey',
      'hasSecret',
      'id',
      'keyChangedAt',
      'maskedKey',
      'mode',
      'name',
      'revision',
    ]);
  });
});
