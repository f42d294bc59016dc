// mergeActivity: how the options page folds a partial getActivity answer (only newer rows) into
// the log it holds, and when it keeps the very same log (so nothing is drawn again).
import { describe, expect, it } from 'vitest';
import type { ActivityRow } from '../../../src/core/monitoring';
import { type ActivityLog, mergeActivity, nextActivityRequest } from '../../../src/options/activity-merge';

function row(seq: number): ActivityRow {
  return {
    seq,
    time: 1_000 + seq,
    method: 'GET',
    api: 'places',
    label: 'OS Places API',
    path: `/search/places/v1/find?query=a${seq}`,
    status: 200,
    durationMs: 5,
    projectId: 'p1',
    mode: 'header',
    tabId: 7,
    initiator: 'http://127.0.0.1:8080',
    projectName: 'Alpha',
    explanation: null,
  };
}
/** Rows newest first, as the background sends them. */
const rows = (...seqs: number[]) => seqs.map(row);
const seqs = (log: ActivityLog) => log.rows.map((r) => r.seq);
const held: ActivityLog = { rows: rows(5, 4, 3), recording: true, context: 'c1' };

describe('nextActivityRequest', () => {
  it('asks for everything first, then for what is newer than the newest row held, in the same context', () => {
    expect(nextActivityRequest(null)).toEqual({});
    expect(nextActivityRequest(held)).toEqual({ afterSeq: 5, context: 'c1' });
    expect(nextActivityRequest({ ...held, rows: [] })).toEqual({ afterSeq: 0, context: 'c1' });
    // An answer without a context (an older background) can only be refreshed whole.
    expect(nextActivityRequest({ ...held, context: undefined })).toEqual({});
  });
});

describe('mergeActivity', () => {
  it('a full answer replaces the log', () => {
    const merged = mergeActivity(held, { rows: rows(9, 8), recording: false, now: 0, context: 'c2' });
    expect(merged).toEqual({ rows: rows(9, 8), recording: false, context: 'c2' });
    expect(mergeActivity(null, { rows: rows(1), recording: true, now: 0 })).toEqual({
      rows: rows(1),
      recording: true,
      context: undefined,
    });
  });

  it('puts newer rows on top of those held', () => {
    const merged = mergeActivity(held, {
      rows: rows(7, 6),
      recording: true,
      now: 0,
      context: 'c1',
      since: { oldestSeq: 1 },
    });
    expect(seqs(merged)).toEqual([7, 6, 5, 4, 3]);
  });

  it('skips rows it already holds, so overlapping refreshes never list one twice', () => {
    const once = mergeActivity(held, {
      rows: rows(6),
      recording: true,
      now: 0,
      context: 'c1',
      since: { oldestSeq: 1 },
    });
    const twice = mergeActivity(once, {
      rows: rows(7, 6),
      recording: true,
      now: 0,
      context: 'c1',
      since: { oldestSeq: 1 },
    });
    expect(seqs(twice)).toEqual([7, 6, 5, 4, 3]);
  });

  it('drops rows the log no longer holds: pushed out of the ring, or all of them after Clear', () => {
    expect(
      seqs(mergeActivity(held, { rows: rows(6), recording: true, now: 0, context: 'c1', since: { oldestSeq: 4 } })),
    ).toEqual([6, 5, 4]);
    expect(
      seqs(mergeActivity(held, { rows: [], recording: true, now: 0, context: 'c1', since: { oldestSeq: null } })),
    ).toEqual([]);
  });

  it('with nothing new, returns the same log object, and the same rows when only the recording flag changed', () => {
    expect(mergeActivity(held, { rows: [], recording: true, now: 0, context: 'c1', since: { oldestSeq: 3 } })).toBe(
      held,
    );
    const off = mergeActivity(held, { rows: [], recording: false, now: 0, context: 'c1', since: { oldestSeq: 3 } });
    expect(off).not.toBe(held);
    expect(off.recording).toBe(false);
    expect(off.rows).toBe(held.rows);
  });
});
