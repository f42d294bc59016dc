import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { rulesFromState } from './rules-from-state';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
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
      {
        id: 1012,
        priority: 1,
        action,
        condition: { urlFilter: '|https://api.os.uk/', requestDomains: ['api.os.uk'], resourceTypes: ['main_frame'] },
      },
      {
        id: 1013,
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
    expect(rules.map((r) => r.id)).toEqual([1004, 1005]);
    for (const rule of rules) {
      expect(rule.action).toEqual({
        type: 'redirect',
        redirect: { transform: { queryTransform: { addOrReplaceParams: [{ key: 'key', value: 'QKEY' }] } } },
      });
    }
  });

  it('oauth mode without a token attaches nothing (never a stale or missing bearer)', () => {
    const state = stateWith([project({ id: 'o', name: 'O', authMode: 'oauth', secret: 'S' })], 'o');
    expect(rulesFromState(state, { extensionId: EXT })).toEqual([]);
  });

  it('never targets another host or plain http, and never the extension itself', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    for (const rule of rulesFromState(state, { extensionId: EXT })) {
      expect(rule.condition.requestDomains).toEqual(['api.os.uk']);
      expect(rule.condition.urlFilter).toBe('|https://api.os.uk/');
      expect(rule.condition.initiatorDomains ?? []).not.toContain(EXT);
    }
  });

  it('is deterministic: same state, same rules', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 7 })], 'a');
    expect(rulesFromState(state, { extensionId: EXT })).toEqual(rulesFromState(structuredClone(state), { extensionId: EXT }));
  });
});
