/**
 * Requests per minute for the last hour, per project (issue 5: the options page's per-minute chart,
 * and the "usual rate" that unusual-usage alerts compare against). Pure; time passed in.
 */
export const HISTORY_MINUTES = 60;

/** Per project: `[minute, count]` pairs within the last hour, oldest first (minute = epoch ms / 60 000). */
export type MinuteHistory = Readonly<Record<string, readonly (readonly [number, number])[]>>;

export const EMPTY_MINUTES: MinuteHistory = {};

export function minuteOf(epochMs: number): number {
  return Math.floor(epochMs / 60_000);
}

/** Count `count` (default 1) requests by `projectId` at `at`; drops minutes older than the last hour (all projects). */
export function recordMinute(history: MinuteHistory, projectId: string, at: number, count = 1): MinuteHistory {
  if (!Number.isFinite(at)) return history;
  const n = Number.isInteger(count) && count > 0 ? count : 1;
  const now = minuteOf(at);
  const out: Record<string, (readonly [number, number])[]> = {};
  for (const [id, pairs] of Object.entries(history)) {
    const kept = pairs.filter(([m]) => m > now - HISTORY_MINUTES && m <= now);
    if (kept.length) out[id] = kept;
  }
  const pairs = [...(out[projectId] ?? [])];
  const last = pairs[pairs.length - 1];
  if (last && last[0] === now) pairs[pairs.length - 1] = [now, last[1] + n];
  else pairs.push([now, n]);
  out[projectId] = pairs;
  return out;
}

/** The 60 per-minute counts ending with the minute of `now` (oldest first; zeros for quiet minutes). */
export function minuteSeries(history: MinuteHistory, projectId: string, now: number): number[] {
  const end = minuteOf(now);
  const series = new Array<number>(HISTORY_MINUTES).fill(0);
  const pairs = Object.hasOwn(history, projectId) ? history[projectId] : [];
  for (const [m, n] of pairs ?? []) {
    const i = m - (end - HISTORY_MINUTES + 1);
    if (i >= 0 && i < HISTORY_MINUTES) series[i] = (series[i] ?? 0) + n;
  }
  return series;
}
