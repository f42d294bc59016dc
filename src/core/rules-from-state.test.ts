import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { rulesFromState } from './rules-from-state';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const PASSTHROUGH = {
  id: 1001,
  priority: 100,
  action: { type: 'allow' },
  condition: {
    urlFilter: '|https://api.os.uk/oauth2/token/v1',
    requestDomains: ['api.os.uk'],
    resourceTypes: ['main_frame', 'sub_frame', 'xmlhttprequest', 'image', 'script', 'stylesheet', 'font', 'media', 'object', 'ping', 'other'],
  },
};
const PAGE_TYPES = ['sub_frame', 'xmlhttprequest', 'image', 'script', 'stylesheet', 'font', 'media', 'object', 'ping', 'other'];

describe('rulesFromState', () => {
  it('emits nothing when Off', () => {
    expect(rulesFromState(stateWith([project({ id: 'a', name: 'A' })], null), { extensionId: EXT })).toEqual([]);
  });

  it('emits nothing when the active id is unknown', () => {
    expect(rulesFromState(stateWith([project({ id: 'a', name: 'A' })], 'gone'), { extensionId: EXT })).toEqual([]);
  });

  it('header mode: a navigation rule and a page-request rule setting the key header', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 0 }), project({ id: 'b', name: 'B', ruleSlot: 3, key: 'BKEY' })], 'b');
    const action = { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value: 'BKEY' }] };
    expect(rulesFromState(state, { extensionId: EXT })).toEqual([
      PASSTHROUGH,
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
    ]);
  });

  it('query mode: a redirect adding or replacing key=…', () => {
    const state = stateWith([project({ id: 'q', name: 'Q', authMode: 'query', key: 'QKEY', ruleSlot: 1 })], 'q');
    const rules = rulesFromState(state, { extensionId: EXT });
    expect(rules.map((r) => r.id)).toEqual([1001, 1104, 1105]);
    for (const rule of rules.slice(1)) {
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
    expect(rules.map((r) => r.id)).toEqual([1001, 1108, 1109]);
    for (const rule of rules.slice(1)) {
      expect(rule.action).toEqual({ type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer TOKEN123' }] });
    }
  });

  it('oauth mode drops a token at its expiry guard (2 s early), never later', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    const token = { accessToken: 'T', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };
    expect(rulesFromState(state, { extensionId: EXT, tokens: { o: token }, now: 297_999 })).toHaveLength(3);
    expect(rulesFromState(state, { extensionId: EXT, tokens: { o: token }, now: 298_000 })).toEqual([]);
  });

  it('another project’s token is never used', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    const token = { accessToken: 'T', obtainedAt: 0, expiresAt: 300_000, lifetimeMs: 300_000 };
    expect(rulesFromState(state, { extensionId: EXT, tokens: { other: token }, now: 1 })).toEqual([]);
  });

  it('the token endpoint passthrough outranks every credential rule', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    const [passthrough, ...credential] = rulesFromState(state, { extensionId: EXT });
    expect(passthrough).toEqual(PASSTHROUGH);
    for (const rule of credential) expect(rule.priority).toBeLessThan(passthrough!.priority);
  });

  it('never targets another host or plain http, and never the extension itself', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    for (const rule of rulesFromState(state, { extensionId: EXT })) {
      expect(rule.condition.requestDomains).toEqual(['api.os.uk']);
      expect(rule.condition.urlFilter?.startsWith('|https://api.os.uk/')).toBe(true);
      expect(rule.condition.initiatorDomains ?? []).not.toContain(EXT);
    }
  });

  it('is deterministic: same state, same rules', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 7 })], 'a');
    expect(rulesFromState(state, { extensionId: EXT })).toEqual(rulesFromState(structuredClone(state), { extensionId: EXT }));
  });

  it('allowed, granted sites join the local hosts as initiators', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    const [, , page] = rulesFromState(state, { extensionId: EXT, siteHosts: ['codepen.io'] });
    expect(page?.condition.initiatorDomains).toEqual(['localhost', '127.0.0.1', '[::1]', 'api.os.uk', 'codepen.io']);
  });

  it('a pinned tab gets only its project’s rules; the active project’s rules exclude it', () => {
    const state = stateWith(
      [project({ id: 'a', name: 'A', key: 'AKEY', ruleSlot: 0 }), project({ id: 'b', name: 'B', key: 'BKEY', ruleSlot: 1, authMode: 'query' })],
      'a',
    );
    const rules = rulesFromState(state, { extensionId: EXT, pins: { 7: 'b', 3: 'b', 9: null } });
    expect(rules.map((r) => [r.id, r.priority, r.condition.tabIds, r.condition.excludedTabIds])).toEqual([
      [1001, 100, undefined, undefined],
      [1100, 1, undefined, [3, 7, 9]],
      [1101, 1, undefined, [3, 7, 9]],
      [1106, 2, [3, 7], undefined],
      [1107, 2, [3, 7], undefined],
    ]);
    expect(rules[3]?.action.type).toBe('redirect');
  });

  it('pins apply even when nothing is active globally; pins to deleted projects are ignored', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 0 })], null);
    expect(rulesFromState(state, { extensionId: EXT, pins: { 5: 'a', 6: 'gone' } }).map((r) => [r.id, r.condition.tabIds])).toEqual([
      [1001, undefined],
      [1102, [5]],
      [1103, [5]],
    ]);
  });
});

