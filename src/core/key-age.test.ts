import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyAgeReminder } from './key-age';

const DAY = 86_400_000;
const NOW = 1_714_566_896_000;

describe('keyAgeReminder', () => {
  it.each([
    // [age in ms, threshold, ageDays, due]
    [0, undefined, 0, false],
    [DAY - 1, undefined, 0, false],
    [89 * DAY, undefined, 89, false],
    [90 * DAY, undefined, 90, true],
    [400 * DAY, undefined, 400, true],
    [10 * DAY, 7, 10, true],
    [10 * DAY, 0, 10, true],
    [10 * DAY, -3, 10, false], // invalid threshold → 90
    [10 * DAY, Number.NaN, 10, false],
    [-5 * DAY, undefined, 0, false], // key "changed" in the future: clock moved back
  ])('key %d ms old, threshold %s → %d days, due %s', (age, thresholdDays, ageDays, due) => {
    const r = keyAgeReminder({
      keyChangedAt: NOW - age,
      now: NOW,
      ...(thresholdDays !== undefined && { thresholdDays }),
    });
    expect(r.ageDays).toBe(ageDays);
    expect(r.due).toBe(due);
    expect(r.message).toMatch(due ? /Regenerate it on the OS Data Hub/ : /rotation is due in/);
  });

  it('says "1 day", not "1 days"', () => {
    expect(keyAgeReminder({ keyChangedAt: NOW - DAY, now: NOW }).message).toBe(
      'This key is 1 day old; rotation is due in 89 days.',
    );
  });

  it('treats keyChangedAt 0 (migrated, unknown) as unknown, not overdue', () => {
    expect(keyAgeReminder({ keyChangedAt: 0, now: NOW })).toMatchObject({
      ageDays: 0,
      due: false,
      message: expect.stringMatching(/unknown/),
    });
  });

  it('never throws and never reports a negative age (property)', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.double(),
        fc.option(fc.double(), { nil: undefined }),
        (keyChangedAt, now, thresholdDays) => {
          const r = keyAgeReminder({ keyChangedAt, now, ...(thresholdDays !== undefined && { thresholdDays }) });
          expect(r.ageDays).toBeGreaterThanOrEqual(0);
          expect(r.message.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
