import { describe, expect, it } from 'vitest';
import type { DnrRule } from './dnr-rule';
import { canonical, planUpdate } from './plan-update';

const rule = (id: number, value = 'K'): DnrRule => ({
  id,
  priority: 1,
  action: { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value }] },
  condition: { requestDomains: ['api.os.uk'], resourceTypes: ['main_frame'] },
});

describe('planUpdate', () => {
  it('is a no-op when installed equals desired', () => {
    expect(planUpdate([rule(1000), rule(1001)], [rule(1000), rule(1001)])).toBeNull();
  });

  it('ignores key order in rules returned by the engine', () => {
    const reordered = JSON.parse(
      JSON.stringify({ condition: rule(1000).condition, action: rule(1000).action, priority: 1, id: 1000 }),
    ) as DnrRule;
    expect(planUpdate([reordered], [rule(1000)])).toBeNull();
  });

  it('adds missing rules', () => {
    expect(planUpdate([], [rule(1000)])).toEqual({ removeRuleIds: [], addRules: [rule(1000)] });
  });

  it('removes undesired rules in our band, including stale IDs', () => {
    expect(planUpdate([rule(1000), rule(5555)], [rule(1000)])).toEqual({ removeRuleIds: [5555], addRules: [] });
  });

  it('leaves rules outside our band alone', () => {
    expect(planUpdate([rule(1), rule(2_000_000)], [])).toBeNull();
  });

  it('replaces a changed rule under the same ID in the same update', () => {
    expect(planUpdate([rule(1000, 'OLD')], [rule(1000, 'NEW')])).toEqual({
      removeRuleIds: [1000],
      addRules: [rule(1000, 'NEW')],
    });
  });

  it('replaces only the rule that changed; an unchanged one beside it stays installed', () => {
    expect(planUpdate([rule(1000, 'OLD'), rule(1001)], [rule(1000, 'NEW'), rule(1001)])).toEqual({
      removeRuleIds: [1000],
      addRules: [rule(1000, 'NEW')],
    });
  });

  it('lists removals in ascending ID order whatever order the engine returns them in', () => {
    expect(planUpdate([rule(1003), rule(1001), rule(1002)], [])).toEqual({
      removeRuleIds: [1001, 1002, 1003],
      addRules: [],
    });
  });

  it('switching projects is one plan removing the old and adding the new', () => {
    expect(planUpdate([rule(1000, 'A'), rule(1001, 'A')], [rule(1004, 'B'), rule(1005, 'B')])).toEqual({
      removeRuleIds: [1000, 1001],
      addRules: [rule(1004, 'B'), rule(1005, 'B')],
    });
  });

  it('canonical sorts nested keys but keeps array order', () => {
    expect(canonical({ b: 1, a: { d: [2, 1], c: 0 } })).toBe('{"a":{"c":0,"d":[2,1]},"b":1}');
  });
});
