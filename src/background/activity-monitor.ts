/**
 * The activity monitor (issue 5): observes — never blocks — every request to the OS API host and
 * records what it was, what credential it carried (or why none), how it ended and how long it
 * took; counts usage per project and API; and raises alerts.
 *
 * Attribution is read from the wire (issue 17): `onSendHeaders` reports each request as sent,
 * after the extension's rules (the `key` header or `Authorization`, or the final URL with `key=`
 * after the query-mode redirect; docs/attribution.md has the measurements in Chrome and Firefox).
 * The credential seen is looked up at once among the projects' keys and tokens, in memory, and
 * only the project id and mode are kept. A request counts as usage of a project when it reached OS
 * carrying that project's credential: it was sent, not answered from the cache, and answered.
 *
 * Cost: listeners are non-blocking, so the network stack never waits for this worker; the work per
 * request is a few object copies, and storage writes are batched (see FLUSH_MS).
 *
 * Storage: the log, the 60 s usage windows, the last hour's minutes and the alerts live in
 * `storage.session` (memory only, gone with the browser session, survive a worker restart); the
 * daily counts for 30 days in `storage.local`. Nothing stored holds a key: paths and initiators
 * are redacted in `appendActivity`, and the other records hold ids, counts and times only.
 */
import { appendActivity, DEFAULT_ACTIVITY_MAX, type ActivityEntry } from '../core/activity-log';
import { alertId, alertMessages, noteAuthFailure, raiseAlert, rememberSeen, unusualUsage } from '../core/alerts';
import { credentialIndex, credentialSent, whyNoCredential, type Attribution, type AttributionContext, type CredentialIndex } from '../core/attribute-request';
import type { ResourceType } from '../core/dnr-rule';
import { EMPTY_MINUTES, minuteSeries, recordMinute, type MinuteHistory } from '../core/minute-history';
import type { Alert } from '../core/monitoring';
import type { RememberedAccess } from '../core/explain-with-access';
import { classifyOsApiRequest, OS_APIS, redactUrl, type OsApi } from '../core/os-api-classify';
import { OS_API_HOST } from '../core/os-api';
import type { AuthMode } from '../core/project';
import { PAGE_RESOURCE_TYPES } from '../core/rules-from-state';
import { EMPTY_USAGE, pruneDaily, recordDaily, recordRequest, usageNow, type DailyCounts, type UsageWindow } from '../core/usage-window';
import { ACTIVITY_LOG_PREFIX, STORAGE, activityBlockEntry, type StorageEntry } from '../core/storage-registry';
import type { BrowserApi, WebRequestDetails } from '../lib/browser-api';
import type { KeyedStorage } from '../lib/storage';

export const ACTIVITY_SESSION_KEY = ACTIVITY_LOG_PREFIX;
/**
 * The log is stored in blocks of this many entries under `activityLog.<n>`, n cycling through
 * ACTIVITY_BLOCKS keys, so a batched write stores the one or two blocks that changed rather than
 * the whole log (3,000 entries is ~1 MB to serialise; the monitoring-cost benchmark showed it).
 */
export const ACTIVITY_BLOCK_SIZE = 250;
export const ACTIVITY_BLOCKS = Math.ceil(DEFAULT_ACTIVITY_MAX / ACTIVITY_BLOCK_SIZE) + 1;
export const activityBlockKey = (n: number): string => activityBlockEntry(n).key;
const ALL_BLOCKS = Array.from({ length: ACTIVITY_BLOCKS }, (_, n) => activityBlockEntry(n));
export const MONITOR_SESSION_KEY = STORAGE.monitorState.key;
/** Unseen alerts, on their own: small, so a waking worker reads them at once for the badge. */
export const ALERTS_SESSION_KEY = STORAGE.monitorAlerts.key;
export const DAILY_STORAGE_KEY = STORAGE.dailyUsage.key;
/** Writes are batched: at most one per area per this many ms. */
export const FLUSH_MS = 1_000;
const URL_FILTER = { urls: [`https://${OS_API_HOST}/*`] };
/** Credentials no longer in the state (a replaced token, an edited key) are still recognised this long, for requests already in flight. */
const RETIRED_CREDENTIAL_MS = 10 * 60_000;
/** Requests seen sent but never completed (a worker stopped mid-request) are forgotten past this many. */
const MAX_IN_FLIGHT = 2_000;
/** Types attribution knows; anything else a browser reports counts as 'other'. */
const RESOURCE_TYPES: readonly string[] = ['main_frame', 'websocket', ...PAGE_RESOURCE_TYPES];

interface MonitorState {
  /** Next sequence number for a log row. */
  seq: number;
  usage: UsageWindow;
  minutes: MinuteHistory;
  authFailures: Record<string, number[]>;
  /** Each project's last Check access, to explain its 401s and 403s (see explain-with-access.ts). */
  access?: Record<string, RememberedAccess>;
}

/** Stored apart from the rest (small, read at once): unseen alerts and what has been alerted. */
interface AlertState {
  alerts: Alert[];
  /** Alerts the user has seen, newest first (the options page's history). */
  seen?: Alert[];
  /** Token failures already alerted, per project: the failure count when it was. */
  tokenAlerted: Record<string, number>;
}

export interface LoggedEntry extends ActivityEntry {
  seq: number;
}

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
  noteTokenFailures(failures: { projectId: string; projectName: string; failures: number; message: string }[]): Promise<void>;
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
  let ring: LoggedEntry[] = [];
  let state: MonitorState = { seq: 1, usage: EMPTY_USAGE, minutes: EMPTY_MINUTES, authFailures: {} };
  let alertState: AlertState = { alerts: [], tokenAlerted: {} };
  let dirtyAlerts = false;
  let daily: DailyCounts = [];
  let context: Parameters<ActivityMonitor['setContext']>[0] | null = null;
  const pending = new Map<string, { start: number; url: string; tabId: number; initiator: string }>();
  const ownRequests = new Map<string, { projectId: string; mode: AuthMode }>();
  /** Per request id: what it carried when last sent (a redirect sends again; the last send is what reached OS). */
  const sent = new Map<string, Attribution>();
  /** Requests whose placeholder `key` query parameter the rules removed (Key header and OAuth 2 modes). */
  const placeholderRemoved = new Set<string>();
  /** The credentials to recognise: the current state's, and retired ones until `retiredAt + RETIRED_CREDENTIAL_MS`. */
  let index: CredentialIndex = credentialIndex(null);
  const retired = { keys: new Map<string, { projectId: string; at: number }>(), tokens: new Map<string, { projectId: string; at: number }>() };
  const uncounted = new Map<string, { projectId: string; api: OsApi; at: number; count: number }>();
  let recording = true;
  let timing = true;
  let dirtySession = false;
  /** Blocks (seq / ACTIVITY_BLOCK_SIZE) with entries not yet stored. */
  const dirtyBlocks = new Set<number>();
  let dirtyDaily = false;
  let flushTimer: unknown = null;

  // The alerts are read at once (the badge needs them); the rest only when a request or a reader
  // needs it, after the start-up reconcile: a worker woken to refresh a token or apply a change
  // then pays nothing for the log (reading ~1 MB of it tripled the background-start benchmark).
  const alertsLoaded = storage
    .read(STORAGE.monitorAlerts)
    .then((saved) => {
      alertState = restoreAlerts(saved);
      if (alertState.alerts.length) hooks.onAlertsChanged();
    })
    .catch(() => undefined);
  let loading: Promise<void> | null = null;
  const ensureLoaded = (): Promise<void> => (loading ??= load().catch(() => undefined)); // unreadable records start empty
  async function load(): Promise<void> {
    await alertsLoaded;
    const [session, savedDaily] = await Promise.all([storage.readMany([...ALL_BLOCKS, STORAGE.monitorState]), storage.read(STORAGE.dailyUsage)]);
    const savedState = session.pop();
    const saved0 = session.flatMap((block) => (Array.isArray(block) ? (block as unknown[]) : [])).filter(isLoggedEntry);
    ring = saved0.sort((a, b) => a.seq - b.seq).slice(-DEFAULT_ACTIVITY_MAX);
    state = { ...state, ...restoreState(savedState, env.now()) };
    // Sequence numbers only go up, even if the stored counter was lost.
    state.seq = Math.max(state.seq, (ring.at(-1)?.seq ?? 0) + 1);
    daily = restoreDaily(savedDaily, env.now());
  }

  // Events are handled one at a time, in arrival order, after the stored records are loaded.
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
    fold();
    const writes: Promise<void>[] = [];
    if (dirtyAlerts) {
      dirtyAlerts = false;
      writes.push(storage.write([STORAGE.monitorAlerts, alertState]));
    }
    // Set only by work done after the stored records were loaded, so this never writes over them.
    if (dirtySession) {
      dirtySession = false;
      const items: [StorageEntry, unknown][] = [[STORAGE.monitorState, state]];
      for (const block of dirtyBlocks) items.push([activityBlockEntry(block % ACTIVITY_BLOCKS), ring.filter((e) => Math.floor(e.seq / ACTIVITY_BLOCK_SIZE) === block)]);
      dirtyBlocks.clear();
      writes.push(storage.write(...items));
    }
    if (dirtyDaily) {
      dirtyDaily = false;
      writes.push(storage.write([STORAGE.dailyUsage, daily]));
    }
    await Promise.all(writes).catch(() => undefined); // a full quota loses a batch of records, never a request
  }

  function setAlerts(next: Alert[], fresh: Alert | null): void {
    alertState = { ...alertState, alerts: next };
    dirtyAlerts = true;
    scheduleFlush();
    hooks.onAlertsChanged();
    if (fresh) hooks.notify(fresh);
  }

  /** The index with retired credentials still recognised (a token replaced while a request was in flight). */
  function lookup(): CredentialIndex {
    if (!retired.keys.size && !retired.tokens.size) return index;
    const merge = (now: ReadonlyMap<string, string>, old: Map<string, { projectId: string }>) => {
      const all = new Map(now);
      for (const [value, { projectId }] of old) if (!all.has(value)) all.set(value, projectId);
      return all;
    };
    return { keys: merge(index.keys, retired.keys), tokens: merge(index.tokens, retired.tokens) };
  }

  /** What a request carried as it was sent; or, when it carried nothing, why (from the state it met). */
  function attributeSent(d: WebRequestDetails): Attribution {
    const found = credentialSent(lookup(), d);
    if (found) return found;
    const initiator = initiatorOf(d);
    if (!context) return { projectId: null, mode: null, reasonNone: 'off' };
    const type = (RESOURCE_TYPES.includes(d.type) ? d.type : 'other') as ResourceType;
    return whyNoCredential(context, { url: d.url, type, tabId: d.tabId, ...(initiator ? { initiator } : {}) });
  }

  /** Fold the requests counted since the last fold into the usage, minute and daily records; then look for unusual usage. */
  function fold(): void {
    if (!uncounted.size) return;
    const touched = new Map<string, number>();
    let latest = 0;
    for (const { projectId, api, at, count } of uncounted.values()) {
      state = { ...state, usage: recordRequest(state.usage, { projectId, api, at, count }), minutes: recordMinute(state.minutes, projectId, at, count) };
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
      const name = context?.projectNames[projectId]?.name ?? 'A project';
      if (usual.unusual) alert({ kind: 'unusual-usage', projectId, api: null, at, message: alertMessages.unusualUsage(name, usual.current, usual.usual) });
    }
  }

  function alert(a: Parameters<typeof raiseAlert>[1]): void {
    const { alerts, fresh } = raiseAlert(alertState.alerts, a);
    const id = alertId(a.kind, a.projectId, a.api);
    setAlerts(alerts, fresh ? (alerts.find((x) => x.id === id) ?? null) : null);
  }

  function record(d: WebRequestDetails, status: number): void {
    const started = pending.get(d.requestId);
    pending.delete(d.requestId);
    const start = started?.start ?? d.timeStamp;
    const firstUrl = started?.url ?? d.url;
    const tabId = started?.tabId ?? d.tabId;
    const initiator = started?.initiator ?? initiatorOf(d);
    const { api, label } = classifyOsApiRequest(firstUrl);
    // What went out decides; a request never sent (a cache hit, a failure before sending) carried nothing to OS.
    const wire = sent.get(d.requestId);
    sent.delete(d.requestId);
    const own = !wire && ownRequests.size ? ownRequests.get(redactUrl(stripKey(d.url))) : undefined;
    const notSent: Attribution = { projectId: null, mode: null, reasonNone: 'not-sent' };
    const attribution: Attribution = d.fromCache ? notSent : (wire ?? (own ? { projectId: own.projectId, mode: own.mode } : notSent));
    const removed = placeholderRemoved.delete(d.requestId) && (attribution.mode === 'header' || attribution.mode === 'oauth');
    const path = pathOf(d.url);
    const entry: ActivityEntry = {
      time: Math.round(start),
      method: d.method,
      api,
      label,
      path,
      status,
      durationMs: started ? Math.max(0, Math.round(d.timeStamp - start)) : null,
      projectId: attribution.projectId,
      mode: attribution.mode,
      ...('reasonNone' in attribution ? { reasonNone: attribution.reasonNone } : {}),
      tabId,
      initiator,
      ...(removed ? { placeholderKeyRemoved: true } : {}),
    };
    // In place: copying a 3,000-entry log per request was most of the monitor's CPU cost.
    ring.push(...appendActivity([], { ...entry, seq: state.seq }, 1));
    if (ring.length > DEFAULT_ACTIVITY_MAX + ACTIVITY_BLOCK_SIZE) ring.splice(0, ring.length - DEFAULT_ACTIVITY_MAX);
    dirtyBlocks.add(Math.floor(state.seq / ACTIVITY_BLOCK_SIZE));
    state = { ...state, seq: state.seq + 1 };
    const at = d.timeStamp;
    const projectId = attribution.projectId;
    const meta = projectId ? context?.projectNames[projectId] : undefined;
    // Usage: requests that reached OS with the project's credential and were answered (status > 0;
    // not from the cache). Refused requests (401/403) are not counted: the gateway refuses them
    // before the project's rate limit applies (USAGE_COUNTING_NOTE in core says so to users).
    if (projectId && status > 0 && status !== 401 && status !== 403 && api && api !== 'oauth' && OS_APIS.includes(api)) {
      // Counted per second here, folded into the usage records at the next write or read.
      const key = `${projectId}\n${api}\n${Math.floor(at / 1000)}`;
      const c = uncounted.get(key);
      if (c) c.count++;
      else uncounted.set(key, { projectId, api: api, at, count: 1 });
    }
    if (status === 401 || status === 403) {
      const noted = noteAuthFailure(state.authFailures, projectId, at, api);
      state = { ...state, authFailures: noted.recent };
      if (noted.burst) alert({ kind: 'auth-failures', projectId, api, at, message: alertMessages.authFailures(noted.burst, api, meta?.name ?? null) });
    }
    if (status === 429) {
      alert({ kind: 'rate-limited', projectId, api, at, message: alertMessages.rateLimited(api, meta?.name ?? null, meta?.mode ?? null) });
    }
    dirtySession = true;
    scheduleFlush();
  }

  const onBeforeRequest = (d: WebRequestDetails): void => {
    // A redirect (query mode adds the key by an internal redirect) starts again with the same id: keep the first start.
    if (!pending.has(d.requestId)) pending.set(d.requestId, { start: d.timeStamp, url: d.url, tabId: d.tabId, initiator: initiatorOf(d) });
  };
  const onBeforeRedirect = (d: WebRequestDetails): void => {
    if (!d.redirectUrl || !hasKeyParam(d.url) || hasKeyParam(d.redirectUrl)) return;
    if (placeholderRemoved.size >= MAX_IN_FLIGHT) placeholderRemoved.clear();
    placeholderRemoved.add(d.requestId);
  };
  const onSendHeaders = (d: WebRequestDetails): void => {
    // At once when the keys are known (the common case): the headers are dropped with `d`.
    if (context) return noteSent(d);
    inOrder(async () => {
      await hooks.ready();
      noteSent(d);
    });
  };
  function noteSent(d: WebRequestDetails): void {
    if (sent.size >= MAX_IN_FLIGHT) sent.clear();
    sent.set(d.requestId, attributeSent(d));
  }
  const onCompleted = (d: WebRequestDetails): void => {
    inOrder(async () => {
      await hooks.ready();
      await ensureLoaded();
      record(d, d.statusCode ?? 0);
    });
  };
  const onErrorOccurred = (d: WebRequestDetails): void => {
    inOrder(async () => {
      await hooks.ready();
      await ensureLoaded();
      record(d, 0);
    });
  };

  function listen(on: boolean, durations: boolean): void {
    const w = browser.webRequest;
    if (on) {
      // Only to time requests: a second event per request (see the monitoring-cost benchmark, row 7).
      if (durations) w.onBeforeRequest.addListener(onBeforeRequest, URL_FILTER);
      // What was sent, for attribution. 'requestHeaders' shows the headers after the rules in
      // Chrome and Firefox; 'extraHeaders' is not needed for `key` or `Authorization` (measured).
      w.onSendHeaders.addListener(onSendHeaders, URL_FILTER, ['requestHeaders']);
      // Fires for redirects only (our query-mode and placeholder-removal redirects, the API's own).
      w.onBeforeRedirect.addListener(onBeforeRedirect, URL_FILTER);
      w.onCompleted.addListener(onCompleted, URL_FILTER);
      w.onErrorOccurred.addListener(onErrorOccurred, URL_FILTER);
    } else {
      w.onBeforeRequest.removeListener(onBeforeRequest);
      w.onSendHeaders.removeListener(onSendHeaders);
      w.onBeforeRedirect.removeListener(onBeforeRedirect);
      w.onCompleted.removeListener(onCompleted);
      w.onErrorOccurred.removeListener(onErrorOccurred);
      pending.clear();
      sent.clear();
      placeholderRemoved.clear();
    }
  }
  // Top level: a request to the OS API wakes the worker and is delivered to these.
  listen(true, true);

  /** Everything before the answer to a reader: loaded, every event so far recorded and counted. */
  const settled = async (): Promise<void> => {
    await ensureLoaded();
    await chain;
    fold();
  };

  return {
    setContext(ctx) {
      context = ctx;
      const next = credentialIndex(ctx.state, ctx.tokens);
      const now = env.now();
      if (ctx.locked || !ctx.state) {
        // Locked (or unreadable): no secret stays in memory here either.
        retired.keys.clear();
        retired.tokens.clear();
      } else {
        for (const [kind, old] of [['keys', index.keys], ['tokens', index.tokens]] as const) {
          for (const [value, projectId] of old) if (!next[kind].has(value)) retired[kind].set(value, { projectId, at: now });
          for (const [value, r] of retired[kind]) if (next[kind].has(value) || now - r.at > RETIRED_CREDENTIAL_MS) retired[kind].delete(value);
        }
      }
      index = next;
    },
    setRecording(on, durations = true) {
      if (on === recording && durations === timing) return;
      if (recording) listen(false, timing);
      recording = on;
      timing = durations;
      if (on) listen(true, durations);
    },
    recording: () => recording,
    expectOwnRequest(url, projectId, mode) {
      ownRequests.set(redactUrl(stripKey(url)), { projectId, mode });
      // Forget it once it can no longer be in flight.
      env.setTimer(() => ownRequests.delete(redactUrl(stripKey(url))), 60_000);
    },
    async entries() {
      await settled();
      return ring.slice(-DEFAULT_ACTIVITY_MAX);
    },
    async clear() {
      await settled();
      ring = [];
      dirtyBlocks.clear();
      await storage.remove(...ALL_BLOCKS).catch(() => undefined);
    },
    async usage() {
      await settled();
      return state.usage;
    },
    async minutes() {
      await settled();
      return state.minutes;
    },
    async daily() {
      await settled();
      return daily;
    },
    async alerts() {
      await settled();
      return alertState.alerts;
    },
    async seenAlerts() {
      await alertsLoaded;
      return alertState.seen ?? [];
    },
    alertsNow: () => alertState.alerts,
    alertsReady: () => alertsLoaded,
    async rememberAccess(access) {
      await settled();
      state = { ...state, access: { ...state.access, [access.report.projectId]: access } };
      dirtySession = true;
      scheduleFlush();
    },
    async accessReports() {
      await settled();
      return state.access ?? {};
    },
    async clearAlerts() {
      await alertsLoaded;
      await chain; // alerts raised by requests already observed are seen too
      if (alertState.alerts.length === 0) return;
      alertState = { ...alertState, seen: rememberSeen(alertState.seen ?? [], alertState.alerts) };
      setAlerts([], null);
      await flush();
    },
    async noteTokenFailures(failures) {
      // Needs the alerts only, not the log: this runs on every reconcile.
      await alertsLoaded;
      const tokenAlerted = { ...alertState.tokenAlerted };
      const fresh = failures.filter((f) => f.failures > 0 && tokenAlerted[f.projectId] !== f.failures);
      for (const f of failures) {
        if (f.failures === 0) delete tokenAlerted[f.projectId];
        else tokenAlerted[f.projectId] = f.failures;
      }
      if (JSON.stringify(tokenAlerted) === JSON.stringify(alertState.tokenAlerted)) return;
      alertState = { ...alertState, tokenAlerted };
      dirtyAlerts = true;
      scheduleFlush();
      for (const f of fresh) alert({ kind: 'token-refresh', projectId: f.projectId, api: 'oauth', at: env.now(), message: alertMessages.tokenRefresh(f.projectName, f.message) });
    },
  };
}

/** The requesting page's origin: Chrome's `initiator`, or the origin of Firefox's `originUrl`. */
function initiatorOf(d: WebRequestDetails): string {
  if (d.initiator && d.initiator !== 'null') return d.initiator;
  if (d.originUrl) {
    try {
      return new URL(d.originUrl).origin;
    } catch {
      return '';
    }
  }
  return '';
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

/** The URL without its `key` parameter (own requests in query mode carry it). */
/** Whether a URL's query has a `key` parameter (empty or not), as the removal rule matches it. */
function hasKeyParam(url: string): boolean {
  try {
    return new URL(url).searchParams.has('key');
  } catch {
    return false;
  }
}

function stripKey(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('key');
    return u.toString();
  } catch {
    return url;
  }
}

/** Whether a stored log entry has the shape the views rely on (anything else is dropped). */
function isLoggedEntry(e: unknown): e is LoggedEntry {
  const x = e as Partial<LoggedEntry> | null;
  return !!x && typeof x === 'object' && typeof x.seq === 'number' && typeof x.time === 'number' && typeof x.path === 'string' && typeof x.status === 'number' && typeof x.label === 'string';
}

/**
 * Stored monitoring records, each part kept only if the functions that use it accept it: a damaged
 * part (from a bug, or an edit by hand) starts empty instead of breaking every later request.
 */
function restoreState(saved: unknown, now: number): Partial<MonitorState> {
  if (!saved || typeof saved !== 'object') return {};
  const s = saved as Record<string, unknown>;
  const out: Partial<MonitorState> = {};
  function keep<K extends keyof MonitorState>(key: K, check: (v: MonitorState[K]) => boolean | void): void {
    try {
      const v = s[key] as MonitorState[K];
      if (v !== undefined && v !== null && check(v) !== false) out[key] = v;
    } catch {
      // damaged: this part starts empty
    }
  }
  keep('seq', (v) => Number.isInteger(v) && v > 0);
  keep('usage', (v) => void Object.keys(v).forEach((id) => usageNow(v, { projectId: id, mode: 'dev', now })));
  keep('minutes', (v) => void Object.keys(v).forEach((id) => minuteSeries(v, id, now)));
  keep('access', (v) => Object.values(v ?? {}).every((a) => Array.isArray(a.report.results) && typeof a.keyChangedAt === 'number'));
  keep('authFailures', (v) => Object.values(v).every((times) => Array.isArray(times) && times.every((t) => typeof t === 'number')));
  return out;
}

function restoreAlerts(saved: unknown): AlertState {
  const x = (saved && typeof saved === 'object' ? saved : {}) as Partial<AlertState>;
  const valid = (list: unknown): list is Alert[] =>
    Array.isArray(list) && list.every((a: Partial<Alert> | null) => typeof a?.id === 'string' && typeof a.message === 'string' && typeof a.lastAt === 'number' && typeof a.count === 'number');
  const alerts = valid(x.alerts) ? x.alerts : [];
  const seen = valid(x.seen) ? x.seen : [];
  const t = x.tokenAlerted;
  const tokenAlerted = t && typeof t === 'object' && Object.values(t).every((n) => typeof n === 'number') ? t : {};
  return { alerts, seen, tokenAlerted };
}

function restoreDaily(saved: unknown, now: number): DailyCounts {
  if (!Array.isArray(saved)) return [];
  const ok = saved.every((b: Partial<DailyCounts[number]> | null) => !!b && typeof b.dayIndex === 'number' && typeof b.day === 'string' && !!b.counts && typeof b.counts === 'object');
  if (!ok) return [];
  try {
    pruneDaily(recordDaily(saved as DailyCounts, { projectId: '-', api: 'names', at: now, utcOffsetMinutes: 0 }), { now, utcOffsetMinutes: 0 });
    return saved as DailyCounts;
  } catch {
    return [];
  }
}
