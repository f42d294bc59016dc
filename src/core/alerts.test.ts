import { describe, expect, it } from 'vitest';
import {
  AUTH_BURST,
  MAX_ALERTS,
  MAX_SEEN_ALERTS,
  alertId,
  alertMessages,
  noteAuthFailure,
  raiseAlert,
  rememberSeen,
  unusualUsage,
} from './alerts';
import type { Alert } from './monitoring';

describe('raiseAlert', () => {
  it('creates an alert once, then counts repeats while unseen', () => {
    const first = raiseAlert([], { kind: 'rate-limited', projectId: 'p', api: 'names', at: 10, message: 'm1' });
    expect(first.fresh).toBe(true);
    expect(first.alerts).toEqual([
      {
        id: 'rate-limited:p:names',
        kind: 'rate-limited',
        projectId: 'p',
        api: 'names',
        firstAt: 10,
        lastAt: 10,
        count: 1,
        message: 'm1',
      },
    ]);
    const again = raiseAlert(first.alerts, {
      kind: 'rate-limited',
      projectId: 'p',
      api: 'names',
      at: 20,
      message: 'm2',
    });
    expect(again).toMatchObject({ fresh: false, alerts: [{ count: 2, firstAt: 10, lastAt: 20, message: 'm2' }] });
    expect(
      raiseAlert(again.alerts, { kind: 'rate-limited', projectId: 'q', api: 'names', at: 30, message: 'x' }).fresh,
    ).toBe(true);
  });

  it('keeps at most MAX_ALERTS, dropping the oldest', () => {
    let alerts = raiseAlert([], { kind: 'auth-failures', projectId: 'p0', api: null, at: 0, message: '' }).alerts;
    for (let i = 1; i <= MAX_ALERTS; i++)
      alerts = raiseAlert(alerts, { kind: 'auth-failures', projectId: `p${i}`, api: null, at: i, message: '' }).alerts;
    expect(alerts).toHaveLength(MAX_ALERTS);
    expect(alerts.some((a) => a.id === alertId('auth-failures', 'p0', null))).toBe(false);
  });
});

describe('noteAuthFailure', () => {
  it('a burst is AUTH_BURST.count failures inside the window, per project and API', () => {
    let r = noteAuthFailure({}, 'p', 0, 'names');
    r = noteAuthFailure(r.recent, 'q', 1, 'names');
    r = noteAuthFailure(r.recent, 'p', 2, 'places');
    r = noteAuthFailure(r.recent, 'p', 3, 'names');
    expect(r.burst).toBeNull();
    r = noteAuthFailure(r.recent, 'p', AUTH_BURST.windowMs - 1, 'names');
    expect(r.burst).toBe(3);
    // The first failure has left the window: only two remain.
    r = noteAuthFailure({ 'p:names': [0, 2] }, 'p', AUTH_BURST.windowMs + 5, 'names');
    expect(r.burst).toBeNull();
    expect(r.recent['p:names']).toEqual([AUTH_BURST.windowMs + 5]);
  });
});

describe('unusualUsage', () => {
  const series = (usual: number, activeMinutes: number, current: number) => [
    ...Array.from({ length: 59 }, (_, i) => (i >= 59 - activeMinutes ? usual : 0)),
    current,
  ];
  it('needs a usual pattern, a minimum volume and a large factor', () => {
    expect(unusualUsage(series(2, 10, 30)).unusual).toBe(true);
    expect(unusualUsage(series(2, 4, 30)).unusual).toBe(false); // no usual rate yet
    expect(unusualUsage(series(2, 10, 29)).unusual).toBe(false); // too few to matter
    expect(unusualUsage(series(20, 59, 90)).unusual).toBe(false); // 4.5× is not 5×
    expect(unusualUsage(series(20, 59, 100))).toMatchObject({ unusual: true, current: 100, usual: 20 });
  });
});

describe('alertMessages.rateLimited', () => {
  it('says OS rate-limited the project, never a cause it cannot know', () => {
    const dev = alertMessages.rateLimited('names', 'Roads', 'dev');
    expect(dev).toMatch(/^OS rate-limited this project \(Roads\) on OS Names API \(HTTP 429\)\./);
    expect(dev).toContain('In Development mode OS allows 50 transactions a minute per API.');
    expect(dev).toMatch(/switch the project to Live mode/);
    expect(dev).not.toMatch(/more than/i);
    const live = alertMessages.rateLimited('places', null, 'live');
    expect(live).toMatch(/^OS rate-limited this project on OS Places API/);
    expect(live).not.toMatch(/switch the project to Live/);
    expect(alertMessages.rateLimited(null, null, null)).toBe(
      'OS rate-limited this project on the OS API (HTTP 429). Slow down, or switch the project to Live mode on the OS Data Hub.',
    );
  });
});

describe('rememberSeen: the history of seen alerts', () => {
  const at = (id: string, lastAt: number): Alert => ({
    id,
    kind: 'rate-limited',
    projectId: 'p',
    api: null,
    firstAt: lastAt,
    lastAt,
    count: 1,
    message: id,
  });
  it('puts the newly seen first and replaces an earlier entry of the same alert', () => {
    const seen = [at('a', 10), at('b', 5)];
    expect(rememberSeen(seen, [at('b', 20)]).map((a) => [a.id, a.lastAt])).toEqual([
      ['b', 20],
      ['a', 10],
    ]);
  });
  it(`keeps at most ${MAX_SEEN_ALERTS}, dropping the oldest`, () => {
    const many = Array.from({ length: MAX_SEEN_ALERTS }, (_, i) => at(`x${i}`, i));
    const next = rememberSeen(many, [at('new', 1000)]);
    expect(next).toHaveLength(MAX_SEEN_ALERTS);
    expect(next[0]!.id).toBe('new');
    expect(next.some((a) => a.id === 'x0')).toBe(false);
  });
});
