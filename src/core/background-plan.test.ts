import { describe, expect, it } from 'vitest';
import { planBackground, type PlanFacts } from './background-plan';
import { project, stateWith } from './fixtures.test-helpers';
import type { DnrRule } from './dnr-rule';
import type { AccessToken } from './token-response';
import { toolbarForDamagedState, toolbarForLocked } from './toolbar';

const KEY = project({ id: 'k', name: 'Key project', key: 'KEYVALUE1', authMode: 'header' });
const OAUTH = project({ id: 'o', name: 'OAuth project', key: 'OKEY1234', secret: 'OSECRET1', authMode: 'oauth' });
const TOKEN: AccessToken = { accessToken: 'TOKENVALUE', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };

function facts(over: Partial<PlanFacts>): PlanFacts {
  return {
    state: stateWith([KEY, OAUTH], 'k'),
    locked: false,
    tokens: {},
    tokenStatus: {},
    granted: [],
    pins: {},
    warning: null,
    now: 1_000,
    extensionHost: 'extid',
    engine: 'chromium',
    ...over,
  };
}

const headers = (rules: readonly DnrRule[]) =>
  rules.flatMap((r) =>
    ('requestHeaders' in r.action ? (r.action.requestHeaders ?? []) : []).map((h) => `${h.header}: ${h.value ?? ''}`),
  );

describe('planBackground: the whole plan from the facts', () => {
  it('damaged data: no rules, the damaged badge, no menu, nothing scheduled', () => {
    const plan = planBackground(facts({ state: null }));
    expect(plan).toMatchObject({
      rules: [],
      toolbar: toolbarForDamagedState(),
      menu: [],
      tokenSchedule: null,
      tokenFailures: [],
      watchTabs: false,
    });
    expect(plan.monitor).toMatchObject({ state: null, locked: false, rules: [] });
  });

  it('locked: no rules and no tab toolbars even with pins and tokens; the menu still lists projects; no token refreshes', () => {
    const plan = planBackground(facts({ locked: true, pins: { 7: 'o' }, tokens: { o: TOKEN } }));
    expect(plan.rules).toEqual([]);
    expect(plan.toolbar).toEqual(toolbarForLocked());
    expect(plan.tabToolbars.size).toBe(0);
    expect(plan.menu.map((m) => m.title)).toEqual([
      'Key project (Key header)',
      'OAuth project (OAuth 2 bearer token)',
      'Off',
    ]);
    expect(plan.tokenSchedule?.state.projects).toEqual([]);
    expect(plan.monitor).toMatchObject({ locked: true, rules: [], pins: {} });
  });

  it('unlocked: the active key in the rules, a pinned OAuth tab with its own toolbar and its problem', () => {
    const plan = planBackground(
      facts({
        pins: { 7: 'o' },
        tokenStatus: { o: { lastError: { kind: 'rejected', message: 'invalid_client' }, failures: 2 } },
      }),
    );
    expect(headers(plan.rules)).toContain('key: KEYVALUE1');
    expect(plan.toolbar.title).toBe('OS API Keyring: Key project (Key header)');
    expect(plan.tabToolbars.get(7)?.title).toMatch(
      /^OS API Keyring: OAuth project .*OS rejected the key or secret.*\(this tab only\)$/,
    );
    expect(plan.tokenSchedule?.pinnedProjectIds).toEqual(['o']);
    expect(plan.tokenFailures).toEqual([
      { projectId: 'o', projectName: 'OAuth project', failures: 2, message: 'invalid_client' },
    ]);
    expect(plan.watchTabs).toBe(true);
  });

  it('an active OAuth project: its token in the rules; without one the badge says nothing is attached', () => {
    const withToken = planBackground(facts({ state: stateWith([KEY, OAUTH], 'o'), tokens: { o: TOKEN } }));
    expect(headers(withToken.rules)).toContain('Authorization: Bearer TOKENVALUE');
    expect(withToken.toolbar.badgeText).not.toBe('!');
    expect(withToken.tokenFailures).toEqual([
      { projectId: 'o', projectName: 'OAuth project', failures: 0, message: '' },
    ]);
    const without = planBackground(facts({ state: stateWith([KEY, OAUTH], 'o') }));
    expect(headers(without.rules).join()).not.toContain('Bearer');
    expect(without.toolbar.title).toMatch(/no valid token yet; nothing is attached/);
  });

  it('an unseen alert turns the global and the tab toolbars amber', () => {
    const plan = planBackground(facts({ pins: { 3: 'k' }, warning: 'Too many requests.' }));
    expect(plan.toolbar.badgeText).toBe('!');
    expect(plan.tabToolbars.get(3)?.title).toContain('Alert: Too many requests.');
    expect(plan.watchTabs).toBe(true);
  });
});
