/**
 * The activity monitor's stored records and their schemas (valibot, as for the state and the
 * messages). Each record is read back part by part: a part that does not match its schema (a bug,
 * an edit by hand, an older shape) starts empty instead of breaking every later request, and the
 * parts that match are kept exactly as stored.
 */
import * as v from 'valibot';
import type { ActivityEntry } from './activity-log';
import type { RememberedAccess } from './explain-with-access';
import type { MinuteHistory } from './minute-history';
import type { Alert } from './monitoring';
import type { DailyCounts, UsageWindow } from './usage-window';

export interface LoggedEntry extends ActivityEntry {
  seq: number;
}

/** The monitor's session record (beside the log blocks). */
export interface MonitorState {
  /** Next sequence number for a log row. */
  seq: number;
  usage: UsageWindow;
  minutes: MinuteHistory;
  authFailures: Record<string, number[]>;
  /** Each project's last Check access, to explain its 401s and 403s (see explain-with-access.ts). */
  access?: Record<string, RememberedAccess>;
}

/** Stored apart from the rest (small, read at once): unseen alerts and what has been alerted. */
export interface AlertState {
  alerts: Alert[];
  /** Alerts the user has seen, newest first (the options page's history). */
  seen?: Alert[];
  /** Token failures already alerted, per project: the failure count when it was. */
  tokenAlerted: Record<string, number>;
}

const countPairs = v.array(v.tuple([v.number(), v.number()]));

/** The fields the views rely on; other fields are kept as stored. */
const LoggedEntrySchema = v.looseObject({
  seq: v.number(),
  time: v.number(),
  path: v.string(),
  status: v.number(),
  label: v.string(),
});

const MonitorStateParts = {
  seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Project → API → [second, count] buckets. */
  usage: v.record(v.string(), v.record(v.string(), countPairs)),
  /** Project → [minute, count]. */
  minutes: v.record(v.string(), countPairs),
  access: v.record(
    v.string(),
    v.looseObject({ report: v.looseObject({ results: v.array(v.unknown()) }), keyChangedAt: v.number() }),
  ),
  authFailures: v.record(v.string(), v.array(v.number())),
} satisfies Record<keyof MonitorState, v.GenericSchema>;

const AlertSchema = v.looseObject({ id: v.string(), message: v.string(), lastAt: v.number(), count: v.number() });
const AlertListSchema = v.array(AlertSchema);
const TokenAlertedSchema = v.record(v.string(), v.number());

const DailySchema = v.array(
  v.looseObject({
    dayIndex: v.number(),
    day: v.string(),
    counts: v.record(v.string(), v.record(v.string(), v.number())),
  }),
);

/** Stored log entries of the expected shape (anything else is dropped). */
export function restoreLogEntries(blocks: readonly unknown[]): LoggedEntry[] {
  return blocks
    .flatMap((block) => (Array.isArray(block) ? (block as unknown[]) : []))
    .filter((e): e is LoggedEntry => v.is(LoggedEntrySchema, e));
}

/** The parts of a stored monitor record that match their schema. */
export function restoreMonitorState(saved: unknown): Partial<MonitorState> {
  if (!saved || typeof saved !== 'object') return {};
  const s = saved as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(MonitorStateParts)) {
    if (s[key] !== undefined && s[key] !== null && v.is(schema, s[key])) out[key] = s[key];
  }
  return out;
}

export function restoreAlertState(saved: unknown): AlertState {
  const x = (saved && typeof saved === 'object' ? saved : {}) as Record<string, unknown>;
  return {
    alerts: v.is(AlertListSchema, x.alerts) ? (x.alerts as unknown as Alert[]) : [],
    seen: v.is(AlertListSchema, x.seen) ? (x.seen as unknown as Alert[]) : [],
    tokenAlerted: v.is(TokenAlertedSchema, x.tokenAlerted) ? x.tokenAlerted : {},
  };
}

export function restoreDailyCounts(saved: unknown): DailyCounts {
  return v.is(DailySchema, saved) ? saved : [];
}
