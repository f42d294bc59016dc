import { describe, expect, it } from 'vitest';
import { restoreAlertState, restoreDailyCounts, restoreLogEntries, restoreMonitorState } from './monitor-records';

const ALERT = {
  id: 'rate-limited:p:names',
  kind: 'rate-limited',
  projectId: 'p',
  api: 'names',
  firstAt: 1,
  lastAt: 2,
  count: 1,
  message: 'Slow down.',
};

describe('the monitor records, read back part by part', () => {
  it('keeps each part of the monitor record that matches its schema, exactly as stored; a damaged part starts empty', () => {
    const saved = {
      seq: 42,
      usage: { p: { names: [[10, 2]] } },
      minutes: { p: 'not a list' },
      authFailures: { p: [1, 2] },
      access: { p: { report: { results: [] }, keyChangedAt: 5 } },
    };
    expect(restoreMonitorState(saved)).toEqual({
      seq: 42,
      usage: saved.usage,
      authFailures: saved.authFailures,
      access: saved.access,
    });
    expect(restoreMonitorState({ seq: 0 })).toEqual({}); // sequence numbers start at 1
    expect(restoreMonitorState({ seq: 2.5, usage: { p: { names: [[1]] } } })).toEqual({});
    expect(restoreMonitorState('garbage')).toEqual({});
  });

  it('log rows without the fields the views need are dropped; the rest keep every field', () => {
    const row = { seq: 1, time: 5, path: '/search/names/v1/find', status: 200, label: 'Names', projectId: 'p' };
    expect(restoreLogEntries([[row, { ...row, seq: 'x' }], 'not a block', [{ seq: 2 }]])).toEqual([row]);
  });

  it('alerts: a damaged list starts empty without losing the other', () => {
    expect(restoreAlertState({ alerts: [ALERT], seen: [{ id: 1 }], tokenAlerted: { p: 2 } })).toEqual({
      alerts: [ALERT],
      seen: [],
      tokenAlerted: { p: 2 },
    });
    expect(restoreAlertState({ alerts: 'x', tokenAlerted: { p: 'two' } })).toEqual({
      alerts: [],
      seen: [],
      tokenAlerted: {},
    });
    expect(restoreAlertState(null)).toEqual({ alerts: [], seen: [], tokenAlerted: {} });
  });

  it('daily counts: kept when every day matches, else none', () => {
    const daily = [{ dayIndex: 20_000, day: '2024-10-04', counts: { p: { names: 3 } } }];
    expect(restoreDailyCounts(daily)).toBe(daily);
    expect(
      restoreDailyCounts([...daily, { dayIndex: 1, day: '1970-01-02', counts: { p: { names: 'three' } } }]),
    ).toEqual([]);
    expect(restoreDailyCounts({})).toEqual([]);
  });
});
