/**
 * Alerts (issue 5, "Alerts"): a burst of 401/403, any 429, a token refresh failure, or usage far
 * above the project's usual rate. Pure: the background feeds in observations with their time and
 * keeps the returned state. Alerts last until the user has seen them (popup or options page).
 */
import type { Alert, AlertKind } from './monitoring';
import { OS_API_LABELS, type OsApi } from './os-api-classify';
import type { ProjectMode } from './project';
import { RATE_LIMITS } from './usage-window';

/** 401/403 answers within this window, for one project (or none) and one API, make a burst. */
export const AUTH_BURST = { count: 3, windowMs: 30_000 } as const;
/**
 * Unusual usage: at least `minRequests` in the last minute, and at least `factor` times the mean of
 * the previous 59 minutes, once at least `minActiveMinutes` of those had requests (a usual rate
 * exists). A first session of work therefore never alerts; a sudden loop in a known pattern does.
 */
export const UNUSUAL_USAGE = { minRequests: 30, factor: 5, minActiveMinutes: 5 } as const;
/** At most this many alerts are kept; the oldest go first. */
export const MAX_ALERTS = 20;

export function alertId(kind: AlertKind, projectId: string | null, api: OsApi | 'oauth' | null): string {
  return `${kind}:${projectId ?? '-'}:${api ?? '-'}`;
}

/**
 * Raise an alert, or count a repeat of one still unseen (same kind, project and API). `fresh` is
 * true only for a new alert: the one moment a desktop notification is due.
 */
export function raiseAlert(
  alerts: readonly Alert[],
  a: { kind: AlertKind; projectId: string | null; api: OsApi | 'oauth' | null; at: number; message: string },
): { alerts: Alert[]; fresh: boolean } {
  const id = alertId(a.kind, a.projectId, a.api);
  const existing = alerts.find((x) => x.id === id);
  if (existing) {
    const updated: Alert = {
      ...existing,
      lastAt: Math.max(existing.lastAt, a.at),
      count: existing.count + 1,
      message: a.message,
    };
    return { alerts: alerts.map((x) => (x.id === id ? updated : x)), fresh: false };
  }
  const alert: Alert = {
    id,
    kind: a.kind,
    projectId: a.projectId,
    api: a.api,
    firstAt: a.at,
    lastAt: a.at,
    count: 1,
    message: a.message,
  };
  return { alerts: [...alerts, alert].slice(-MAX_ALERTS), fresh: true };
}

/** Seen alerts kept for the history on the options page. */
export const MAX_SEEN_ALERTS = 50;

/**
 * The alerts just seen join the history of seen ones, newest first: an alert seen again replaces
 * its earlier entry (same kind, project and API), and the oldest go beyond MAX_SEEN_ALERTS.
 */
export function rememberSeen(seen: readonly Alert[], justSeen: readonly Alert[]): Alert[] {
  const ids = new Set(justSeen.map((a) => a.id));
  return alertsNewestFirst([...justSeen, ...seen.filter((a) => !ids.has(a.id))]).slice(0, MAX_SEEN_ALERTS);
}

/** Newest first, for display. */
export function alertsNewestFirst(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((x, y) => y.lastAt - x.lastAt);
}

/**
 * Track 401/403 answers per project (or none) and API, and say whether this one completes a burst
 * (the alert names the API, so the count must be that API's). `recent` holds the times of such
 * answers inside the window.
 */
export function noteAuthFailure(
  recent: Readonly<Record<string, readonly number[]>>,
  projectId: string | null,
  at: number,
  api: OsApi | 'oauth' | null = null,
): { recent: Record<string, number[]>; burst: number | null } {
  const key = `${projectId ?? '-'}:${api ?? '-'}`;
  const out: Record<string, number[]> = {};
  for (const [k, times] of Object.entries(recent)) {
    const kept = times.filter((t) => t > at - AUTH_BURST.windowMs && t <= at);
    if (kept.length) out[k] = kept;
  }
  const times = [...(out[key] ?? []), at];
  out[key] = times;
  return { recent: out, burst: times.length >= AUTH_BURST.count ? times.length : null };
}

/**
 * Whether the last minute is unusual against the previous ones. `series` is per-minute counts,
 * oldest first, the last being the current minute (minuteSeries).
 */
export function unusualUsage(series: readonly number[]): { unusual: boolean; current: number; usual: number } {
  const current = series[series.length - 1] ?? 0;
  const previous = series.slice(0, -1);
  const usual = previous.length ? previous.reduce((a, b) => a + b, 0) / previous.length : 0;
  const active = previous.filter((n) => n > 0).length;
  const unusual =
    active >= UNUSUAL_USAGE.minActiveMinutes &&
    current >= UNUSUAL_USAGE.minRequests &&
    current >= UNUSUAL_USAGE.factor * usual;
  return { unusual, current, usual };
}

const api = (a: OsApi | 'oauth' | null): string => (a ? OS_API_LABELS[a] : 'The OS API');

/** The sentence each alert shows: what happened and what to do. */
export const alertMessages = {
  authFailures: (n: number, a: OsApi | 'oauth' | null, project: string | null): string =>
    `${api(a)} refused ${n} requests (401/403) in the last ${AUTH_BURST.windowMs / 1000} s${project ? ` with ${project}` : ' with no credential'}. See the activity log for the reason.`,
  // OS sends no rate-limit headers (docs/os-apis.md §4), so the alert says what happened, not why:
  // other tabs, other machines or a shared key may have used the same project's allowance.
  rateLimited: (a: OsApi | 'oauth' | null, project: string | null, mode: ProjectMode | null): string =>
    `OS rate-limited ${project ? `this project (${project})` : 'this project'} on ${a ? api(a) : 'the OS API'} (HTTP 429).` +
    (mode
      ? ` In ${mode === 'live' ? 'Live' : 'Development'} mode OS allows ${RATE_LIMITS[mode]} transactions a minute per API.`
      : '') +
    ` Slow down${mode === 'live' ? '' : ', or switch the project to Live mode on the OS Data Hub'}.`,
  tokenRefresh: (project: string, why: string): string => `Could not get an OAuth 2 token for ${project}: ${why}`,
  unusualUsage: (project: string, current: number, usual: number): string =>
    `${project} sent ${current} requests in the last minute, against a usual ${usual.toFixed(1)} a minute over the last hour. Check for a loop or a leaked key.`,
};
