/**
 * The activity monitor's usage store: the 60 s usage windows, the last hour's minutes, recent
 * 401/403 times, Check access reports and the log's sequence counter (one `storage.session`
 * record), and the daily counts for 30 days (`storage.local`). Requests are counted per second as
 * they finish and folded into the records at the next read or write: per-request work stays small.
 */
import { alertMessages, noteAuthFailure, unusualUsage } from '../core/alerts';
import type { RememberedAccess } from '../core/explain-with-access';
import { EMPTY_MINUTES, minuteSeries, recordMinute } from '../core/minute-history';
import { restoreDailyCounts, restoreMonitorState, type MonitorState } from '../core/monitor-records';
import type { OsApi } from '../core/os-api-classify';
import { STORAGE, type StorageEntry } from '../core/storage-registry';
import { EMPTY_USAGE, pruneDaily, recordDaily, recordRequest, type DailyCounts } from '../core/usage-window';
import type { NewAlert } from './monitor-alerts';

export interface UsageStore {
  /** Take the stored records (parts that do not match their schema start empty). `lastSeq`: the log's newest row. */
  restore(savedState: unknown, savedDaily: unknown, lastSeq: number): void;
  /** The sequence number for the next log row. */
  nextSeq(): number;
  /** Count a request that reached OS with a project's credential and was answered. */
  count(projectId: string, api: OsApi, at: number): void;
  /** A 401 or 403: a burst of them raises an alert. */
  noteAuthFailure(projectId: string | null, at: number, api: OsApi | 'oauth' | null, projectName: string | null): void;
  /** Fold what was counted into the records; unusual usage raises an alert. */
  fold(): void;
  record(): Readonly<MonitorState>;
  daily(): DailyCounts;
  rememberAccess(access: RememberedAccess): void;
  /** The writes to make at the next flush: the session record and, if changed, the daily counts. */
  takeWrites(): { session: boolean; daily: [StorageEntry, unknown] | null };
  /** The session record as it is now (written with the log's blocks). */
  sessionEntry(): [StorageEntry, unknown];
}

export function createUsageStore(
  env: { now(): number; utcOffsetMinutes(): number },
  hooks: { alert(a: NewAlert): void; projectName(projectId: string): string | undefined; changed(): void },
): UsageStore {
  let state: MonitorState = { seq: 1, usage: EMPTY_USAGE, minutes: EMPTY_MINUTES, authFailures: {} };
  let daily: DailyCounts = [];
  const uncounted = new Map<string, { projectId: string; api: OsApi; at: number; count: number }>();
  let dirtySession = false;
  let dirtyDaily = false;

  function markDirty(): void {
    dirtySession = true;
    hooks.changed();
  }

  return {
    restore(savedState, savedDaily, lastSeq) {
      state = { ...state, ...restoreMonitorState(savedState) };
      // Sequence numbers only go up, even if the stored counter was lost.
      state.seq = Math.max(state.seq, lastSeq + 1);
      daily = restoreDailyCounts(savedDaily);
    },
    nextSeq() {
      const seq = state.seq;
      state = { ...state, seq: seq + 1 };
      markDirty();
      return seq;
    },
    count(projectId, api, at) {
      // Counted per second here, folded into the usage records at the next write or read.
      const key = `${projectId}\n${api}\n${Math.floor(at / 1000)}`;
      const c = uncounted.get(key);
      if (c) c.count++;
      else uncounted.set(key, { projectId, api, at, count: 1 });
    },
    noteAuthFailure(projectId, at, api, projectName) {
      const noted = noteAuthFailure(state.authFailures, projectId, at, api);
      state = { ...state, authFailures: noted.recent };
      if (noted.burst)
        hooks.alert({
          kind: 'auth-failures',
          projectId,
          api,
          at,
          message: alertMessages.authFailures(noted.burst, api, projectName),
        });
    },
    fold() {
      if (!uncounted.size) return;
      const touched = new Map<string, number>();
      let latest = 0;
      for (const { projectId, api, at, count } of uncounted.values()) {
        state = {
          ...state,
          usage: recordRequest(state.usage, { projectId, api, at, count }),
          minutes: recordMinute(state.minutes, projectId, at, count),
        };
        daily = recordDaily(daily, { projectId, api, at, utcOffsetMinutes: env.utcOffsetMinutes(), count });
        touched.set(projectId, Math.max(touched.get(projectId) ?? 0, at));
        latest = Math.max(latest, at);
      }
      uncounted.clear();
      daily = pruneDaily(daily, { now: latest, utcOffsetMinutes: env.utcOffsetMinutes() });
      dirtyDaily = true;
      dirtySession = true;
      for (const [projectId, at] of touched) {
        const usual = unusualUsage(minuteSeries(state.minutes, projectId, at));
        const name = hooks.projectName(projectId) ?? 'A project';
        if (usual.unusual)
          hooks.alert({
            kind: 'unusual-usage',
            projectId,
            api: null,
            at,
            message: alertMessages.unusualUsage(name, usual.current, usual.usual),
          });
      }
    },
    record: () => state,
    daily: () => daily,
    rememberAccess(access) {
      state = { ...state, access: { ...state.access, [access.report.projectId]: access } };
      markDirty();
    },
    takeWrites() {
      const out = {
        session: dirtySession,
        daily: dirtyDaily ? ([STORAGE.dailyUsage, daily] as [StorageEntry, unknown]) : null,
      };
      dirtySession = false;
      dirtyDaily = false;
      return out;
    },
    sessionEntry: () => [STORAGE.monitorState, state],
  };
}
