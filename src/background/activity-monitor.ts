/**
 * The activity monitor (issue 5): what every request to the OS API host was, what credential it
 * carried (or why none), how it ended and how long it took; usage per project and API; alerts.
 * It joins four parts (issue 13, item 5): the request observer (request-observer.ts: listeners and
 * attribution from the wire), the log store (monitor-log.ts), the usage store (monitor-usage.ts)
 * and the alert store (monitor-alerts.ts); their stored shapes are schemas in core/monitor-records.ts.
 * A request counts as usage of a project when it reached OS carrying that project's credential:
 * it was sent, not answered from the cache, and answered.
 *
 * Cost: the work per request is a few object copies, and storage writes are batched (FLUSH_MS).
 *
 * Storage: the log, the 60 s usage windows, the last hour's minutes and the alerts live in
 * `storage.session` (memory only, gone with the browser session, survive a worker restart); the
 * daily counts for 30 days in `storage.local`. Nothing stored holds a key: paths and initiators
 * are redacted in `appendActivity`, and the other records hold ids, counts and times only.
 */
import type { ActivityEntry } from '../core/activity-log';
import { alertMessages } from '../core/alerts';
import type { Attribution, AttributionContext } from '../core/attribute-request';
import type { MinuteHistory } from '../core/minute-history';
import type { LoggedEntry } from '../core/monitor-records';
import type { Alert } from '../core/monitoring';
import type { RememberedAccess } from '../core/explain-with-access';
import { classifyOsApiRequest, OS_APIS } from '../core/os-api-classify';
import type { AuthMode } from '../core/project';
import type { DailyCounts, UsageWindow } from '../core/usage-window';
import { ACTIVITY_LOG_PREFIX, STORAGE, activityBlockEntry } from '../core/storage-registry';
import type { BrowserApi } from '../lib/browser-api';
import type { KeyedStorage } from '../lib/storage';
import { createAlertStore } from './monitor-alerts';
import { ALL_BLOCKS, createLogStore } from './monitor-log';
import { createUsageStore } from './monitor-usage';
import { createRequestObserver, initiatorOf, type FinishedRequest } from './request-observer';

export type { LoggedEntry } from '../core/monitor-records';
export { ACTIVITY_BLOCK_SIZE, ACTIVITY_BLOCKS } from './monitor-log';
export const ACTIVITY_SESSION_KEY = ACTIVITY_LOG_PREFIX;
export const activityBlockKey = (n: number): string => activityBlockEntry(n).key;
export const MONITOR_SESSION_KEY = STORAGE.monitorState.key;
/** Unseen alerts, on their own: small, so a waking worker reads them at once for the badge. */
export const ALERTS_SESSION_KEY = STORAGE.monitorAlerts.key;
export const DAILY_STORAGE_KEY = STORAGE.dailyUsage.key;
/** Writes are batched: at most one per area per this many ms. */
export const FLUSH_MS = 1_000;

export interface MonitorEnv {
  now(): number;
  /** Minutes east of UTC right now (for local days); 60 in BST. */
  utcOffsetMinutes(): number;
  setTimer(callback: () => void, ms: number): unknown;
}

export interface ActivityMonitor {
  /** Where attribution comes from: set by every reconcile. */
  setContext(ctx: AttributionContext & { projectNames: Record<string, { name: string; mode: 'dev' | 'live' }> }): void;
  /** Start or stop observing (the "Record activity" setting), with or without timing each request ("Record durations"). */
  setRecording(on: boolean, durations?: boolean): void;
  recording(): boolean;
  /** A request the extension itself sends on behalf of a project (Check access): attribute it to that project. */
  expectOwnRequest(url: string, projectId: string, mode: AuthMode): void;
  entries(): Promise<readonly LoggedEntry[]>;
  clear(): Promise<void>;
  usage(): Promise<UsageWindow>;
  minutes(): Promise<MinuteHistory>;
  daily(): Promise<DailyCounts>;
  alerts(): Promise<readonly Alert[]>;
  /** Alerts already seen, newest first. */
  seenAlerts(): Promise<readonly Alert[]>;
  /** The alerts as known right now, without waiting (for the badge, from inside a reconcile). */
  alertsNow(): readonly Alert[];
  /** Resolves once the stored alerts have been read (a small read, started at once). */
  alertsReady(): Promise<void>;
  clearAlerts(): Promise<void>;
  /** Token failures (from the token manager's status): alert once per new failure. */
  noteTokenFailures(
    failures: { projectId: string; projectName: string; failures: number; message: string }[],
  ): Promise<void>;
  /** Keep a project's Check access report for explaining its failures. */
  rememberAccess(access: RememberedAccess): Promise<void>;
  accessReports(): Promise<Readonly<Record<string, RememberedAccess>>>;
}

/**
 * `onAlertsChanged` is called after alerts change (to update the badge); `notify` for each new alert.
 * Listeners are added here, synchronously: call this during the worker's first turn.
 */
export function createActivityMonitor(
  browser: Pick<BrowserApi, 'webRequest'>,
  storage: KeyedStorage,
  env: MonitorEnv,
  hooks: { ready: () => Promise<unknown>; onAlertsChanged(): void; notify(alert: Alert): void },
): ActivityMonitor {
  let projectNames: Record<string, { name: string; mode: 'dev' | 'live' }> = {};
  let recording = true;
  let timing = true;
  let flushTimer: unknown = null;
  const log = createLogStore();
  const alerts = createAlertStore(storage, {
    onAlertsChanged: () => hooks.onAlertsChanged(),
    notify: (a) => hooks.notify(a),
    changed: scheduleFlush,
  });
  const usage = createUsageStore(env, {
    alert: (a) => alerts.raise(a),
    projectName: (id) => projectNames[id]?.name,
    changed: scheduleFlush,
  });
  const observer = createRequestObserver(browser, env, {
    ready: hooks.ready,
    onFinished: (r) =>
      inOrder(async () => {
        await hooks.ready();
        await ensureLoaded();
        record(r);
      }),
  });

  // The alerts are read at once (the badge needs them); the rest only when a request or a reader
  // needs it, after the start-up reconcile: a worker woken to refresh a token or apply a change
  // then pays nothing for the log (reading ~1 MB of it tripled the background-start benchmark).
  let loading: Promise<void> | null = null;
  const ensureLoaded = (): Promise<void> => (loading ??= load().catch(() => undefined)); // unreadable records start empty
  async function load(): Promise<void> {
    await alerts.loaded;
    const [session, savedDaily] = await Promise.all([
      storage.readMany([...ALL_BLOCKS, STORAGE.monitorState]),
      storage.read(STORAGE.dailyUsage),
    ]);
    const savedState = session.pop();
    log.restore(session);
    usage.restore(savedState, savedDaily, log.lastSeq());
  }

  // Finished requests are recorded one at a time, in arrival order, after the stored records are loaded.
  let chain: Promise<unknown> = Promise.resolve();
  function inOrder(job: () => Promise<void> | void): void {
    chain = chain.then(job).catch(() => undefined);
  }

  function scheduleFlush(): void {
    if (flushTimer !== null) return;
    flushTimer = env.setTimer(() => {
      flushTimer = null;
      void flush();
    }, FLUSH_MS);
  }

  async function flush(): Promise<void> {
    usage.fold();
    const writes: Promise<void>[] = [];
    const alertWrite = alerts.takeWrite();
    if (alertWrite) writes.push(storage.write(alertWrite));
    // Set only by work done after the stored records were loaded, so this never writes over them.
    const { session, daily } = usage.takeWrites();
    if (session) writes.push(storage.write(usage.sessionEntry(), ...log.takeWrites()));
    if (daily) writes.push(storage.write(daily));
    await Promise.all(writes).catch(() => undefined); // a full quota loses a batch of records, never a request
  }

  function record({ details: d, status, started, wire, own, placeholderRemoved }: FinishedRequest): void {
    const start = started?.start ?? d.timeStamp;
    const { api, label } = classifyOsApiRequest(started?.url ?? d.url);
    // What went out decides; a request never sent (a cache hit, a failure before sending) carried nothing to OS.
    const notSent: Attribution = { projectId: null, mode: null, reasonNone: 'not-sent' };
    const attribution: Attribution = d.fromCache
      ? notSent
      : (wire ?? (own ? { projectId: own.projectId, mode: own.mode } : notSent));
    const removed = placeholderRemoved && (attribution.mode === 'header' || attribution.mode === 'oauth');
    const entry: ActivityEntry = {
      time: Math.round(start),
      method: d.method,
      api,
      label,
      path: pathOf(d.url),
      status,
      durationMs: started ? Math.max(0, Math.round(d.timeStamp - start)) : null,
      projectId: attribution.projectId,
      mode: attribution.mode,
      ...('reasonNone' in attribution ? { reasonNone: attribution.reasonNone } : {}),
      tabId: started?.tabId ?? d.tabId,
      initiator: started?.initiator ?? initiatorOf(d),
      ...(removed ? { placeholderKeyRemoved: true } : {}),
    };
    log.append(entry, usage.nextSeq());
    const at = d.timeStamp;
    const projectId = attribution.projectId;
    const meta = projectId ? projectNames[projectId] : undefined;
    // Usage: requests that reached OS with the project's credential and were answered (status > 0;
    // not from the cache). Refused requests (401/403) are not counted: the gateway refuses them
    // before the project's rate limit applies (USAGE_COUNTING_NOTE in core says so to users).
    if (projectId && status > 0 && status !== 401 && status !== 403 && api && api !== 'oauth' && OS_APIS.includes(api))
      usage.count(projectId, api, at);
    if (status === 401 || status === 403) usage.noteAuthFailure(projectId, at, api, meta?.name ?? null);
    if (status === 429)
      alerts.raise({
        kind: 'rate-limited',
        projectId,
        api,
        at,
        message: alertMessages.rateLimited(api, meta?.name ?? null, meta?.mode ?? null),
      });
  }

  // Top level: a request to the OS API wakes the worker and is delivered to the observer.
  observer.listen(true, true);

  /** Everything before the answer to a reader: loaded, every event so far recorded and counted. */
  const settled = async (): Promise<void> => {
    await ensureLoaded();
    await observer.idle();
    await chain;
    usage.fold();
  };

  return {
    setContext(ctx) {
      projectNames = ctx.projectNames;
      observer.setContext(ctx);
    },
    setRecording(on, durations = true) {
      if (on === recording && durations === timing) return;
      if (recording) observer.listen(false, timing);
      recording = on;
      timing = durations;
      if (on) observer.listen(true, durations);
    },
    recording: () => recording,
    expectOwnRequest: (url, projectId, mode) => observer.expectOwnRequest(url, projectId, mode),
    async entries() {
      await settled();
      return log.entries();
    },
    async clear() {
      await settled();
      log.clear();
      await storage.remove(...ALL_BLOCKS).catch(() => undefined);
    },
    async usage() {
      await settled();
      return usage.record().usage;
    },
    async minutes() {
      await settled();
      return usage.record().minutes;
    },
    async daily() {
      await settled();
      return usage.daily();
    },
    async alerts() {
      await settled();
      return alerts.unseen();
    },
    async seenAlerts() {
      await alerts.loaded;
      return alerts.seen();
    },
    alertsNow: () => alerts.unseen(),
    alertsReady: () => alerts.loaded,
    async rememberAccess(access) {
      await settled();
      usage.rememberAccess(access);
    },
    async accessReports() {
      await settled();
      return usage.record().access ?? {};
    },
    async clearAlerts() {
      await alerts.loaded;
      await observer.idle();
      await chain; // alerts raised by requests already observed are seen too
      if (alerts.markAllSeen()) await flush();
    },
    async noteTokenFailures(failures) {
      // Needs the alerts only, not the log: this runs on every reconcile.
      await alerts.loaded;
      alerts.noteTokenFailures(failures, env.now());
    },
  };
}

/** Path and query of an OS API URL (the host is always api.os.uk), redacted later. */
function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}
