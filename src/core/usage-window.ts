/**
 * Usage against the OS rate limits (docs/os-apis.md §4: 50 transactions a minute per API per
 * project in Development mode, 600 in Live mode), and per-day counts for the last 30 days. Pure data structures:
 * every function returns a new state and takes the time as a parameter.
 */
import { dayIndex, dayKeyFromIndex } from './calendar';
import { CURRENT_OS_APIS, type OsApi } from './os-api-classify';
import type { ProjectMode } from './project';

/** Transactions a minute per API per project, by the project's mode (§4). */
export const RATE_LIMITS: Record<ProjectMode, number> = { dev: 50, live: 600 };
/**
 * What the usage meter counts, said wherever usage is shown (docs/os-apis.md §0, §4). OS's pricing
 * is said to bundle map tiles into transactions (unverified: 15 raster or 4 vector tiles each);
 * whether its rate limit counts requests or transactions is not documented, so a per-request count
 * may overstate.
 */
export const USAGE_COUNTING_NOTE =
  'Counted per request the extension saw with this project’s credential; refused requests (401/403) are not counted. ' +
  'OS may bill map tiles in bundles (several tiles to one transaction), so for tiles this can overstate what OS bills.';

/** The popup warns from this share of the limit. */
export const WARNING_RATIO = 0.8;
export const WINDOW_MS = 60_000;

/**
 * Per (project, API): `[second, count]` buckets within the last 60 s, oldest first. Counting per
 * second rather than per request keeps memory at 60 pairs per key however heavy the traffic, at
 * the cost of up to 1 s of imprecision at the window's edge.
 */
export type UsageWindow = Readonly<Record<string, Partial<Record<OsApi, readonly (readonly [number, number])[]>>>>;

export const EMPTY_USAGE: UsageWindow = {};

/** Buckets still inside the 60 s window ending at second `nowSec` (future ones too: clocks move back). */
function live(buckets: readonly (readonly [number, number])[], nowSec: number): (readonly [number, number])[] {
  return buckets.filter(([sec]) => sec > nowSec - WINDOW_MS / 1000 && sec <= nowSec);
}

/** Requests counted at once (the background batches them): a positive whole number, else 1. */
function countOf(count: number | undefined): number {
  return count !== undefined && Number.isInteger(count) && count > 0 ? count : 1;
}

/** Drop every bucket outside the window ending at `now`, and keys left empty. */
export function pruneUsage(state: UsageWindow, now: number): UsageWindow {
  const nowSec = Math.floor(now / 1000);
  const out: Record<string, Partial<Record<OsApi, (readonly [number, number])[]>>> = {};
  for (const [projectId, apis] of Object.entries(state)) {
    for (const api of CURRENT_OS_APIS) {
      const kept = live(apis[api] ?? [], nowSec);
      if (kept.length > 0) (out[projectId] ??= {})[api] = kept;
    }
  }
  return out;
}

/**
 * Count one request by `projectId` to `api` at `at` (ms). Prunes the whole state to the window
 * ending at `at`, so memory stays bounded by projects × APIs × 60. Non-finite times are ignored.
 */
export function recordRequest(
  state: UsageWindow,
  req: { projectId: string; api: OsApi; at: number; count?: number },
): UsageWindow {
  const n = countOf(req.count);
  if (!Number.isFinite(req.at) || !CURRENT_OS_APIS.includes(req.api)) return state;
  const pruned = pruneUsage(state, req.at) as Record<string, Partial<Record<OsApi, (readonly [number, number])[]>>>;
  const sec = Math.floor(req.at / 1000);
  const project = { ...(pruned[req.projectId] ?? {}) };
  const buckets = [...(project[req.api] ?? [])];
  const last = buckets[buckets.length - 1];
  if (last && last[0] === sec) buckets[buckets.length - 1] = [sec, last[1] + n];
  else buckets.push([sec, n]);
  project[req.api] = buckets;
  return { ...pruned, [req.projectId]: project };
}

export interface ApiUsage {
  /** Requests in the last 60 s. */
  count: number;
  /** The mode's limit for one API per minute. */
  limit: number;
  /** count / limit (may exceed 1). */
  ratio: number;
  /** From 80 % of the limit. */
  warning: boolean;
}

/** Usage of each OS API by one project over the 60 s ending at `now`. */
export function usageNow(
  state: UsageWindow,
  q: { projectId: string; mode: ProjectMode; now: number },
): Record<OsApi, ApiUsage> {
  // A mode read back from older stored data may be neither: count it as Development.
  const limit = (RATE_LIMITS as Partial<Record<string, (typeof RATE_LIMITS)[ProjectMode]>>)[q.mode] ?? RATE_LIMITS.dev;
  const nowSec = Math.floor(q.now / 1000);
  const apis = Object.hasOwn(state, q.projectId) ? state[q.projectId] : undefined;
  const result = {} as Record<OsApi, ApiUsage>;
  for (const api of CURRENT_OS_APIS) {
    const count = live(apis?.[api] ?? [], nowSec).reduce((sum, [, n]) => sum + n, 0);
    const ratio = count / limit;
    result[api] = { count, limit, ratio, warning: ratio >= WARNING_RATIO };
  }
  return result;
}

/** How many days of daily counts are kept. */
export const DAILY_KEEP_DAYS = 30;

/** One local day's counts: project id → API → requests. */
export interface DailyBucket {
  /** Days since 1970-01-01 in the user's zone; what pruning compares. */
  dayIndex: number;
  /** `YYYY-MM-DD`, for charts. */
  day: string;
  counts: Readonly<Record<string, Partial<Record<OsApi, number>>>>;
}

/** Daily buckets, oldest first, at most {@link DAILY_KEEP_DAYS} of them. */
export type DailyCounts = readonly DailyBucket[];

/**
 * Count one request in its local day. `utcOffsetMinutes` is east of UTC (60 in BST) and is passed
 * per call, so a change of offset (summer time) affects only later requests.
 */
export function recordDaily(
  daily: DailyCounts,
  req: { projectId: string; api: OsApi; at: number; utcOffsetMinutes: number; count?: number },
): DailyCounts {
  const index = dayIndex(req.at, Number.isFinite(req.utcOffsetMinutes) ? req.utcOffsetMinutes : 0);
  if (!Number.isFinite(index) || !CURRENT_OS_APIS.includes(req.api)) return daily;
  const existing = daily.find((b) => b.dayIndex === index);
  const counts = { ...(existing?.counts ?? {}) };
  const project = { ...(Object.hasOwn(counts, req.projectId) ? counts[req.projectId] : {}) };
  project[req.api] = (project[req.api] ?? 0) + countOf(req.count);
  counts[req.projectId] = project;
  const bucket: DailyBucket = { dayIndex: index, day: dayKeyFromIndex(index), counts };
  const others = daily.filter((b) => b.dayIndex !== index);
  // Keep the newest days only: bounded even if `pruneDaily` is never called.
  return [...others, bucket].sort((a, b) => a.dayIndex - b.dayIndex).slice(-DAILY_KEEP_DAYS);
}

/** Drop days older than the last {@link DAILY_KEEP_DAYS} local days, counting today. */
export function pruneDaily(daily: DailyCounts, q: { now: number; utcOffsetMinutes: number }): DailyCounts {
  const today = dayIndex(q.now, Number.isFinite(q.utcOffsetMinutes) ? q.utcOffsetMinutes : 0);
  if (!Number.isFinite(today)) return daily;
  return daily.filter((b) => b.dayIndex > today - DAILY_KEEP_DAYS);
}
