import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENT_OS_APIS, type OsApi } from './os-api-classify';
import {
  DAILY_KEEP_DAYS,
  EMPTY_USAGE,
  pruneDaily,
  recordDaily,
  recordRequest,
  usageNow,
  type DailyCounts,
  type UsageWindow,
} from './usage-window';

const T0 = 1_714_566_896_000;
const record = (state: UsageWindow, n: number, at: number, api: OsApi = 'places', projectId = 'p1'): UsageWindow => {
  let s = state;
  for (let i = 0; i < n; i++) s = recordRequest(s, { projectId, api, at });
  return s;
};

describe('usage window', () => {
  it.each([
    // [requests, plan, count, limit, warning]
    [0, 'dev', 0, 50, false],
    [39, 'dev', 39, 50, false],
    [40, 'dev', 40, 50, true], // 80 % of 50
    [60, 'dev', 60, 50, true],
    [479, 'live', 479, 600, false],
    [480, 'live', 480, 600, true],
  ] as const)('%d requests on %s → count %d of %d, warning %s', (n, plan, count, limit, warning) => {
    const u = usageNow(record(EMPTY_USAGE, n, T0), { projectId: 'p1', mode: plan, now: T0 + 1000 });
    expect(u.places).toEqual({ count, limit, ratio: count / limit, warning });
    expect(u['maps-raster'].count).toBe(0);
  });

  it('forgets requests older than 60 s and keeps projects and APIs apart', () => {
    let s = record(EMPTY_USAGE, 10, T0);
    s = record(s, 5, T0 + 30_000);
    s = record(s, 7, T0 + 30_000, 'maps-raster');
    s = record(s, 3, T0 + 30_000, 'places', 'p2');
    expect(usageNow(s, { projectId: 'p1', mode: 'dev', now: T0 + 59_000 }).places.count).toBe(15);
    expect(usageNow(s, { projectId: 'p1', mode: 'dev', now: T0 + 60_000 }).places.count).toBe(5);
    expect(usageNow(s, { projectId: 'p1', mode: 'dev', now: T0 + 60_000 })['maps-raster'].count).toBe(7);
    expect(usageNow(s, { projectId: 'p2', mode: 'dev', now: T0 + 60_000 }).places.count).toBe(3);
    expect(usageNow(s, { projectId: 'p1', mode: 'dev', now: T0 + 91_000 }).places.count).toBe(0);
    expect(usageNow(s, { projectId: 'nope', mode: 'dev', now: T0 }).places.count).toBe(0);
  });

  it('prunes: a quiet project disappears and memory stays at ≤ 60 buckets per key (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 5000 }),
            api: fc.constantFrom(...CURRENT_OS_APIS),
            p: fc.constantFrom('a', 'b'),
          }),
          {
            maxLength: 300,
          },
        ),
        (steps) => {
          let s = EMPTY_USAGE;
          let at = T0;
          for (const { dt, api, p } of steps) s = recordRequest(s, { projectId: p, api, at: (at += dt) });
          for (const apis of Object.values(s))
            for (const b of Object.values(apis)) expect(b.length).toBeLessThanOrEqual(60);
          const later = recordRequest(s, { projectId: 'c', api: 'names', at: at + 61_000 });
          expect(Object.keys(later)).toEqual(['c']);
        },
      ),
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.string(), fc.constantFrom('dev', 'live'), (at, now, projectId, plan) => {
        const s = recordRequest(EMPTY_USAGE, { projectId, api: 'names', at });
        const u = usageNow(s, { projectId, mode: plan, now });
        expect(u.names.limit).toBeGreaterThan(0);
      }),
    );
  });
});

describe('daily counts', () => {
  const DAY = 86_400_000;
  const MIDNIGHT = 1_714_521_600_000; // 2024-05-01T00:00Z

  it.each([
    [MIDNIGHT + 1000, 0, '2024-05-01'],
    [MIDNIGHT - 1000, 0, '2024-04-30'],
    [MIDNIGHT - 1000, 60, '2024-05-01'], // 23:59:59 UTC is already the next day in BST
    [MIDNIGHT + 1000, -300, '2024-04-30'],
  ])('a request at %d with offset %d counts on %s', (at, utcOffsetMinutes, day) => {
    const d = recordDaily([], { projectId: 'p1', api: 'places', at, utcOffsetMinutes });
    expect(d).toEqual([{ dayIndex: expect.any(Number), day, counts: { p1: { places: 1 } } }]);
  });

  it('adds up per project and API, and prunes to the last 30 days', () => {
    let d: DailyCounts = [];
    for (const [p, api, at] of [
      ['p1', 'places', MIDNIGHT],
      ['p1', 'places', MIDNIGHT + 5],
      ['p1', 'names', MIDNIGHT + 5],
      ['p2', 'places', MIDNIGHT + DAY],
      ['p1', 'places', MIDNIGHT - 40 * DAY],
    ] as const)
      d = recordDaily(d, { projectId: p, api, at, utcOffsetMinutes: 0 });
    expect(d.map((b) => b.day)).toEqual(['2024-03-22', '2024-05-01', '2024-05-02']);
    expect(d[1]?.counts).toEqual({ p1: { places: 2, names: 1 } });
    const pruned = pruneDaily(d, { now: MIDNIGHT + 29 * DAY, utcOffsetMinutes: 0 });
    expect(pruned.map((b) => b.day)).toEqual(['2024-05-01', '2024-05-02']);
    expect(pruneDaily(d, { now: MIDNIGHT + 30 * DAY, utcOffsetMinutes: 0 }).map((b) => b.day)).toEqual(['2024-05-02']);
  });

  it('stays bounded and sorted whatever the times, and never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.oneof(fc.integer({ min: 0, max: 200 * DAY }), fc.double()), fc.integer({ min: -840, max: 840 })),
        ),
        (reqs) => {
          let d: DailyCounts = [];
          for (const [at, off] of reqs)
            d = recordDaily(d, { projectId: '__proto__', api: 'downloads', at, utcOffsetMinutes: off });
          expect(d.length).toBeLessThanOrEqual(DAILY_KEEP_DAYS);
          for (let i = 1; i < d.length; i++) expect(d[i]!.dayIndex).toBeGreaterThan(d[i - 1]!.dayIndex);
          expect(Array.isArray(pruneDaily(d, { now: reqs[0]?.[0] ?? 0, utcOffsetMinutes: 0 }))).toBe(true);
        },
      ),
    );
  });
});
