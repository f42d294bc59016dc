// The same pins give the same rules whatever order the projects are stored in: plan-update
// compares the wanted rules with the browser's, so a needless reordering would rewrite the rules.
import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { PLACEHOLDER_KEY_REMOVAL_IDS as IDS } from './rule-ids';
import { rulesFromState } from './rules-from-state';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';

describe('rulesFromState: pinned tabs in a stable order', () => {
  it("lists the placeholder removal's tabs in ascending order when two header projects are pinned", () => {
    const a = project({ id: 'a', name: 'A', key: 'AKEY', ruleSlot: 0 });
    const b = project({ id: 'b', name: 'B', key: 'BKEY', ruleSlot: 1 });
    // Gathered project by project, the tabs would be [5, 9, 3] (A stored first) or [3, 5, 9].
    const pins = { 3: 'b', 5: 'a', 9: 'a' };
    for (const projects of [
      [a, b],
      [b, a],
    ]) {
      const removal = rulesFromState(stateWith(projects), { extensionId: EXT, pins }).filter(
        (r) => r.id === IDS.pinnedNavigation || r.id === IDS.pinnedPageRequests,
      );
      expect(removal.map((r) => [r.id, r.condition.tabIds])).toEqual([
        [IDS.pinnedNavigation, [3, 5, 9]],
        [IDS.pinnedPageRequests, [3, 5, 9]],
      ]);
    }
  });
});
