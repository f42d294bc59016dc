import { describe, expect, it } from 'vitest';
import { EMPTY_MINUTES, HISTORY_MINUTES, minuteSeries, recordMinute } from './minute-history';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);

describe('minute history', () => {
  it('counts per minute per project and gives the last hour oldest first', () => {
    let h = recordMinute(EMPTY_MINUTES, 'a', T0);
    h = recordMinute(h, 'a', T0 + 59_999);
    h = recordMinute(h, 'b', T0 + 60_000);
    h = recordMinute(h, 'a', T0 + 120_000);
    const s = minuteSeries(h, 'a', T0 + 120_000);
    expect(s).toHaveLength(HISTORY_MINUTES);
    expect(s.slice(-3)).toEqual([2, 0, 1]);
    expect(minuteSeries(h, 'b', T0 + 120_000).slice(-3)).toEqual([0, 1, 0]);
    expect(minuteSeries(h, 'nobody', T0).every((n) => n === 0)).toBe(true);
  });

  it('forgets minutes older than an hour, for every project', () => {
    let h = recordMinute(EMPTY_MINUTES, 'a', T0);
    h = recordMinute(h, 'b', T0 + HISTORY_MINUTES * 60_000);
    expect(h.a).toBeUndefined();
    expect(minuteSeries(h, 'b', T0 + HISTORY_MINUTES * 60_000).reduce((x, y) => x + y, 0)).toBe(1);
    expect(recordMinute(h, 'a', Number.NaN)).toBe(h);
  });
});
