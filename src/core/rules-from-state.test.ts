import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { publicNameSuffixes } from './public-names';
import { ENCODED_KEY_REGEX, PLACEHOLDER_KEY_REGEX, rulesFromState } from './rules-from-state';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const PASSTHROUGH = {
  id: 1001,
  priority: 100,
  action: { type: 'allow' },
  condition: {
    urlFilter: '|https://api.os.uk/oauth2/token/v1',
    requestDomains: ['api.os.uk'],
    resourceTypes: [
      'main_frame',
      'sub_frame',
      'xmlhttprequest',
      'image',
      'script',
      'stylesheet',
      'font',
      'media',
      'object',
      'ping',
      'other',
    ],
  },
};
/** The other-site navigation guard with the default initiators (its public-name list is checked on its own below). */
const GUARD = {
  id: 1002,
  priority: 100,
  action: { type: 'allow' },
  condition: {
    urlFilter: '|https://api.os.uk/',
    requestDomains: ['api.os.uk'],
    initiatorDomains: [...publicNameSuffixes('chromium')],
    excludedInitiatorDomains: ['localhost', '127.0.0.1', '[::1]', 'api.os.uk'],
    resourceTypes: ['main_frame', 'sub_frame'],
  },
};
const REMOVE_KEY = { type: 'redirect', redirect: { transform: { queryTransform: { removeParams: ['key'] } } } };
const REMOVE_ENCODED_KEY = { type: 'redirect', redirect: { regexSubstitution: '\\1\\2\\3' } };
const PAGE_TYPES = [
  'sub_frame',
  'xmlhttprequest',
  'image',
  'script',
  'stylesheet',
  'font',
  'media',
  'object',
  'ping',
  'other',
];

describe('rulesFromState', () => {
  it('emits nothing when Off', () => {
    expect(rulesFromState(stateWith([project({ id: 'a', name: 'A' })], null), { extensionId: EXT })).toEqual([]);
  });

  it('emits nothing when the active id is unknown', () => {
    expect(rulesFromState(stateWith([project({ id: 'a', name: 'A' })], 'gone'), { extensionId: EXT })).toEqual([]);
  });

  it('header mode: a navigation rule and a page-request rule setting the key header', () => {
    const state = stateWith(
      [project({ id: 'a', name: 'A', ruleSlot: 0 }), project({ id: 'b', name: 'B', ruleSlot: 3, key: 'BKEY' })],
      'b',
    );
    const action = { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value: 'BKEY' }] };
    expect(rulesFromState(state, { extensionId: EXT })).toEqual([
      PASSTHROUGH,
      GUARD,
      {
        id: 1112,
        priority: 1,
        action,
        condition: { urlFilter: '|https://api.os.uk/', requestDomains: ['api.os.uk'], resourceTypes: ['main_frame'] },
      },
      {
        id: 1113,
        priority: 1,
        action,
        condition: {
          urlFilter: '|https://api.os.uk/',
          requestDomains: ['api.os.uk'],
          initiatorDomains: ['localhost', '127.0.0.1', '[::1]', 'api.os.uk'],
          excludedInitiatorDomains: [EXT],
          resourceTypes: PAGE_TYPES,
        },
      },
      {
        id: 1003,
        priority: 1,
        action: REMOVE_KEY,
        condition: {
          regexFilter: PLACEHOLDER_KEY_REGEX,
          isUrlFilterCaseSensitive: true,
          requestDomains: ['api.os.uk'],
          resourceTypes: ['main_frame'],
        },
      },
      {
        id: 1004,
        priority: 1,
        action: REMOVE_KEY,
        condition: {
          regexFilter: PLACEHOLDER_KEY_REGEX,
          isUrlFilterCaseSensitive: true,
          requestDomains: ['api.os.uk'],
          initiatorDomains: ['localhost', '127.0.0.1', '[::1]', 'api.os.uk'],
          excludedInitiatorDomains: [EXT],
          resourceTypes: PAGE_TYPES,
        },
      },
      {
        id: 1007,
        priority: 1,
        action: REMOVE_ENCODED_KEY,
        condition: {
          regexFilter: ENCODED_KEY_REGEX,
          isUrlFilterCaseSensitive: true,
          requestDomains: ['api.os.uk'],
          resourceTypes: ['main_frame'],
        },
      },
      {
        id: 1008,
        priority: 1,
        action: REMOVE_ENCODED_KEY,
        condition: {
          regexFilter: ENCODED_KEY_REGEX,
          isUrlFilterCaseSensitive: true,
          requestDomains: ['api.os.uk'],
          initiatorDomains: ['localhost', '127.0.0.1', '[::1]', 'api.os.uk'],
          excludedInitiatorDomains: [EXT],
          resourceTypes: PAGE_TYPES,
        },
      },
    ]);
  });

  it('query mode: a redirect adding or replacing key=…', () => {
    const state = stateWith([project({ id: 'q', name: 'Q', authMode: 'query', key: 'QKEY', ruleSlot: 1 })], 'q');
    const rules = rulesFromState(state, { extensionId: EXT });
    expect(rules.map((r) => r.id)).toEqual([1001, 1002, 1104, 1105]);
    for (const rule of rules.slice(2)) {
      expect(rule.action).toEqual({
        type: 'redirect',
        redirect: { transform: { queryTransform: { addOrReplaceParams: [{ key: 'key', value: 'QKEY' }] } } },
      });
    }
  });

  it('oauth mode without a token attaches nothing (never the key instead)', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    expect(rulesFromState(state, { extensionId: EXT, tokens: {}, now: 0 })).toEqual([]);
  });

  it('oauth mode with a usable token sets Authorization: Bearer on both rules', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S', ruleSlot: 2 })], 'o');
    const token = { accessToken: 'TOKEN123', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };
    const rules = rulesFromState(state, { extensionId: EXT, tokens: { o: token }, now: 100_000 });
    expect(rules.map((r) => r.id)).toEqual([1001, 1002, 1108, 1109, 1003, 1004, 1007, 1008]);
    expect(rules.slice(4, 6).map((r) => r.action)).toEqual([REMOVE_KEY, REMOVE_KEY]);
    for (const rule of rules.slice(2, 4)) {
      expect(rule.action).toEqual({
        type: 'modifyHeaders',
        requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer TOKEN123' }],
      });
    }
  });

  it('oauth mode drops a token at its expiry guard (2 s early), never later', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    const token = { accessToken: 'T', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };
    expect(rulesFromState(state, { extensionId: EXT, tokens: { o: token }, now: 297_999 })).toHaveLength(8);
    expect(rulesFromState(state, { extensionId: EXT, tokens: { o: token }, now: 298_000 })).toEqual([]);
  });

  it('a key-mode project with no key (locked, or cleared) attaches nothing, not an empty key', () => {
    for (const authMode of ['header', 'query'] as const) {
      const state = stateWith([project({ id: 'a', name: 'A', key: '', authMode })], 'a');
      expect(rulesFromState(state, { extensionId: EXT })).toEqual([]);
    }
  });

  it('oauth mode needs no key in the state while its token is good (the lock blanks keys; the token is in memory)', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', key: '', secret: '' })], 'o');
    const token = { accessToken: 'TOKEN123', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };
    const rules = rulesFromState(state, { extensionId: EXT, tokens: { o: token }, now: 1 });
    expect(rules.slice(2, 4).map((r) => r.action)).toEqual([
      {
        type: 'modifyHeaders',
        requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer TOKEN123' }],
      },
      {
        type: 'modifyHeaders',
        requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer TOKEN123' }],
      },
    ]);
  });

  it('oauth mode with no tokens at all in the context attaches nothing (and does not throw)', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    expect(rulesFromState(state, { extensionId: EXT })).toEqual([]);
  });

  it('another project’s token is never used', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    const token = { accessToken: 'T', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };
    expect(rulesFromState(state, { extensionId: EXT, tokens: { other: token }, now: 1 })).toEqual([]);
  });

  it('the token endpoint passthrough outranks every credential rule', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    const [passthrough, guard, ...credential] = rulesFromState(state, { extensionId: EXT });
    expect(passthrough).toEqual(PASSTHROUGH);
    expect(guard).toEqual(GUARD);
    for (const rule of credential) expect(rule.priority).toBeLessThan(passthrough!.priority);
  });

  it('never targets another host or plain http, and never the extension itself', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    for (const rule of rulesFromState(state, { extensionId: EXT })) {
      expect(rule.condition.requestDomains).toEqual(['api.os.uk']);
      expect(
        rule.condition.urlFilter?.startsWith('|https://api.os.uk/') ??
          rule.condition.regexFilter?.replace(/^\^\(/, '^').startsWith('^https://api\\.os\\.uk/'),
      ).toBe(true);
      expect(rule.condition.initiatorDomains ?? []).not.toContain(EXT);
    }
  });

  it('is deterministic: same state, same rules', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 7 })], 'a');
    expect(rulesFromState(state, { extensionId: EXT })).toEqual(
      rulesFromState(structuredClone(state), { extensionId: EXT }),
    );
  });

  it('allowed, granted sites join the local hosts as initiators', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    const [, guard, , page] = rulesFromState(state, { extensionId: EXT, siteHosts: ['codepen.io'] });
    expect(page?.condition.initiatorDomains).toEqual(['localhost', '127.0.0.1', '[::1]', 'api.os.uk', 'codepen.io']);
    // …and are exempt from the other-site navigation guard.
    expect(guard?.condition.excludedInitiatorDomains).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      'api.os.uk',
      'codepen.io',
    ]);
  });

  it('a pinned tab gets only its project’s rules; the active project’s rules exclude it', () => {
    const state = stateWith(
      [
        project({ id: 'a', name: 'A', key: 'AKEY', ruleSlot: 0 }),
        project({ id: 'b', name: 'B', key: 'BKEY', ruleSlot: 1, authMode: 'query' }),
      ],
      'a',
    );
    const rules = rulesFromState(state, { extensionId: EXT, pins: { 7: 'b', 3: 'b', 9: null } });
    expect(rules.map((r) => [r.id, r.priority, r.condition.tabIds, r.condition.excludedTabIds])).toEqual([
      [1001, 100, undefined, undefined],
      [1002, 100, undefined, undefined],
      [1100, 1, undefined, [-1, 3, 7, 9]],
      [1101, 1, undefined, [-1, 3, 7, 9]],
      [1003, 1, undefined, [-1, 3, 7, 9]],
      [1004, 1, undefined, [-1, 3, 7, 9]],
      [1007, 1, undefined, [-1, 3, 7, 9]],
      [1008, 1, undefined, [-1, 3, 7, 9]],
      [1106, 2, [3, 7], undefined],
      [1107, 2, [3, 7], undefined],
    ]);
    // B is in query mode: its key replaces any placeholder, so its tabs get no removal rule.
    expect(rules[8]?.action.type).toBe('redirect');
  });

  it('tabs pinned to a header project get the placeholder removal too, at the pinned priority', () => {
    const state = stateWith(
      [
        project({ id: 'a', name: 'A', key: 'AKEY', ruleSlot: 0, authMode: 'query' }),
        project({ id: 'b', name: 'B', key: 'BKEY', ruleSlot: 1 }),
      ],
      'a',
    );
    const rules = rulesFromState(state, { extensionId: EXT, pins: { 7: 'b', 3: 'b' } });
    expect(rules.map((r) => [r.id, r.priority, r.condition.tabIds, r.condition.excludedTabIds, r.action.type])).toEqual(
      [
        [1001, 100, undefined, undefined, 'allow'],
        [1002, 100, undefined, undefined, 'allow'],
        [1100, 1, undefined, [-1, 3, 7], 'redirect'],
        [1101, 1, undefined, [-1, 3, 7], 'redirect'],
        [1106, 2, [3, 7], undefined, 'modifyHeaders'],
        [1107, 2, [3, 7], undefined, 'modifyHeaders'],
        [1005, 2, [3, 7], undefined, 'redirect'],
        [1006, 2, [3, 7], undefined, 'redirect'],
        [1009, 2, [3, 7], undefined, 'redirect'],
        [1010, 2, [3, 7], undefined, 'redirect'],
      ],
    );
  });

  it('a pin to a deleted project leaves its tab with the active project (not excluded from it, not left with nothing)', () => {
    const state = stateWith([project({ id: 'a', name: 'A', key: 'AKEY', ruleSlot: 0 })], 'a');
    const rules = rulesFromState(state, { extensionId: EXT, pins: { 6: 'gone' } });
    // No rule excludes tab 6 and none is limited to it.
    expect(rules.map((r) => r.id)).toEqual([1001, 1002, 1100, 1101, 1003, 1004, 1007, 1008]);
    expect(rules.every((r) => r.condition.tabIds === undefined && r.condition.excludedTabIds === undefined)).toBe(true);
  });

  it('pins under keys that are not tab ids (negative, like chrome.tabs.TAB_ID_NONE, or not a number) are ignored; tab 0 counts', () => {
    const state = stateWith(
      [
        project({ id: 'a', name: 'A', key: 'AKEY', ruleSlot: 0 }),
        project({ id: 'b', name: 'B', key: 'BKEY', ruleSlot: 1 }),
      ],
      'a',
    );
    const pins = { [-1]: 'b', x: 'b', '1.5': 'b', 0: 'b' } as unknown as Record<number, string | null>;
    const rules = rulesFromState(state, { extensionId: EXT, pins });
    // Only tab 0 is pinned: the pinned rules are for tab 0 alone, and the active project's rules leave it out.
    expect(rules.filter((r) => r.condition.tabIds).map((r) => [r.id, r.condition.tabIds])).toEqual([
      [1106, [0]],
      [1107, [0]],
      [1005, [0]],
      [1006, [0]],
      [1009, [0]],
      [1010, [0]],
    ]);
    expect(rules.filter((r) => r.condition.excludedTabIds).map((r) => r.id)).toEqual([
      1100, 1101, 1003, 1004, 1007, 1008,
    ]);
    expect(rules.filter((r) => r.condition.excludedTabIds).every((r) => r.condition.excludedTabIds?.includes(0))).toBe(
      true,
    );
  });

  it('pins apply even when nothing is active globally; pins to deleted projects are ignored', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 0 })], null);
    expect(
      rulesFromState(state, { extensionId: EXT, pins: { 5: 'a', 6: 'gone' } }).map((r) => [r.id, r.condition.tabIds]),
    ).toEqual([
      [1001, undefined],
      [1002, undefined],
      [1102, [5]],
      [1103, [5]],
      [1005, [5]],
      [1006, [5]],
      [1009, [5]],
      [1010, [5]],
    ]);
  });

  it('the navigation guard never matches a load without an initiator and is built for each engine', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    const chromium = rulesFromState(state, { extensionId: EXT })[1]!;
    const firefox = rulesFromState(state, { extensionId: EXT, engine: 'firefox' })[1]!;
    for (const guard of [chromium, firefox]) {
      expect(guard.action).toEqual({ type: 'allow' });
      // Only initiatorDomains decides: a typed URL (no initiator) cannot match a non-empty list.
      expect(guard.condition.initiatorDomains!.length).toBeGreaterThan(1000);
      expect(guard.priority).toBeGreaterThan(2);
    }
    expect(chromium.condition.initiatorDomains).toContain('7');
    expect(firefox.condition.initiatorDomains).not.toContain('7');
    expect(firefox.condition.initiatorDomains).toContain('com.');
  });
});

describe('publicNameSuffixes', () => {
  it('has the public TLDs in ASCII, the special-use names, and no local host', () => {
    for (const engine of ['chromium', 'firefox'] as const) {
      const names = publicNameSuffixes(engine);
      for (const name of ['com', 'uk', 'io', 'dev', 'xn--p1ai', 'test', 'local', 'internal', 'example'])
        expect(names).toContain(name);
      expect(names.every((n) => /^[a-z0-9.-]+$/.test(n))).toBe(true);
      for (const local of ['localhost', '127.0.0.1', 'api.os.uk', 'os.uk']) expect(names).not.toContain(local);
    }
  });
});
