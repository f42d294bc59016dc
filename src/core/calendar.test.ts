import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, dayIndex, dayKey, dayKeyFromIndex, isoUtc } from './calendar';

describe('dayKey', () => {
  it.each([
    [0, 0, '1970-01-01'],
    [-1, 0, '1969-12-31'],
    [951_782_400_000, 0, '2000-02-29'], // leap day in a year divisible by 400
    [951_868_800_000, 0, '2000-03-01'],
    [4_107_456_000_000, 0, '2100-02-28'], // 2100 is not a leap year
    [4_107_542_400_000, 0, '2100-03-01'],
    [1_704_067_199_999, 0, '2023-12-31'],
    [1_704_067_200_000, 0, '2024-01-01'],
    // 23:30 UTC on 31 March 2024 is already 1 April in BST (UTC+60 min) but not in UTC-5 h.
    [1_711_927_800_000, 60, '2024-04-01'],
    [1_711_927_800_000, 0, '2024-03-31'],
    [1_711_927_800_000, -300, '2024-03-31'],
  ])('%d at offset %d is %s', (ms, offset, key) => {
    expect(dayKey(ms, offset)).toBe(key);
  });

  it('isoUtc formats like toISOString', () => {
    expect(isoUtc(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoUtc(1_714_566_896_789)).toBe('2024-05-01T12:34:56.789Z');
    expect(isoUtc(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(isoUtc(Number.NaN)).toBe('');
  });

  it('consecutive day indexes give consecutive, strictly increasing keys (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (d) => {
        const a = civilFromDays(d);
        const b = civilFromDays(d + 1);
        expect(a.month).toBeGreaterThanOrEqual(1);
        expect(a.month).toBeLessThanOrEqual(12);
        expect(a.day).toBeGreaterThanOrEqual(1);
        if (b.day === 1)
          expect(b.month === 1 ? b.year === a.year + 1 : b.year === a.year && b.month === a.month + 1).toBe(true);
        else expect(b).toEqual({ ...a, day: a.day + 1 });
        if (d >= 0) expect(dayKeyFromIndex(d + 1) > dayKeyFromIndex(d)).toBe(true);
      }),
    );
  });

  it('never throws on arbitrary numbers (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: -900, max: 900 }), (ms, off) => {
        expect(typeof dayKey(ms, off)).toBe('string');
        expect(typeof isoUtc(ms)).toBe('string');
        expect(Number.isNaN(dayIndex(ms, off)) || Number.isInteger(dayIndex(ms, off))).toBe(true);
      }),
    );
  });
});
