/**
 * Calendar arithmetic on epoch milliseconds, written by hand because src/core may not touch
 * `Date` (the clock and the user's UTC offset are passed in). Proleptic Gregorian calendar.
 */

/** Milliseconds in one day (UTC days have no leap seconds in epoch time). */
export const MS_PER_DAY = 86_400_000;

/**
 * Whole days since 1970-01-01 in the zone `utcOffsetMinutes` east of UTC (e.g. 60 for BST; note
 * this is the opposite sign of `Date#getTimezoneOffset`). Non-finite input gives NaN.
 */
export function dayIndex(epochMs: number, utcOffsetMinutes = 0): number {
  const days = Math.floor((epochMs + utcOffsetMinutes * 60_000) / MS_PER_DAY);
  return Number.isFinite(days) ? days : Number.NaN;
}

/**
 * Year, month (1–12) and day (1–31) of a day index. Howard Hinnant's `civil_from_days`: exact for
 * every integer day, no tables and no loops.
 */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468; // shift the epoch to 0000-03-01 so leap days fall at the end of a "year"
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // day of the 400-year era, 0..146096
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // 0..365, from March 1
  const mp = Math.floor((5 * doy + 2) / 153); // 0 = March … 11 = February
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

const pad = (n: number, width: number): string => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD` for a day index (years before 0 get a leading "-"). */
export function dayKeyFromIndex(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${year < 0 ? '-' : ''}${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `YYYY-MM-DD` of an instant in the zone `utcOffsetMinutes` east of UTC. */
export function dayKey(epochMs: number, utcOffsetMinutes = 0): string {
  return dayKeyFromIndex(dayIndex(epochMs, utcOffsetMinutes));
}

/**
 * ISO 8601 UTC timestamp (`2024-05-01T12:34:56.789Z`), like `Date#toISOString` for ordinary
 * years, but never throws: a non-finite input gives ''.
 */
export function isoUtc(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '';
  const days = dayIndex(epochMs);
  const msOfDay = Math.floor(epochMs - days * MS_PER_DAY);
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor((msOfDay % 3_600_000) / 60_000);
  const s = Math.floor((msOfDay % 60_000) / 1000);
  const ms = msOfDay % 1000;
  return `${dayKeyFromIndex(days)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
}
