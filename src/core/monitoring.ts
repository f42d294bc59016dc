/**
 * What the popup and the options page are shown about monitoring (issue 5): the shapes that cross
 * the message boundary. Redacted by construction: no key, secret or token fits in any field.
 */
import type { ActivityEntry } from './activity-log';
import type { FailureExplanation } from './explain-failure';
import type { KeyAgeReminder } from './key-age';
import type { OsApi } from './os-api-classify';
import type { AuthMode, ProjectMode } from './project';
import type { Settings } from './settings';
import type { ApiUsage, DailyCounts } from './usage-window';

export type AlertKind = 'auth-failures' | 'rate-limited' | 'token-refresh' | 'unusual-usage';

/** One alert, until the user has seen it. Repeats of the same kind/project/API bump `count`. */
export interface Alert {
  /** Stable for (kind, project, API): `${kind}:${projectId ?? '-'}:${api ?? '-'}`. */
  id: string;
  kind: AlertKind;
  projectId: string | null;
  api: OsApi | 'oauth' | null;
  /** First and last time it fired, ms. */
  firstAt: number;
  lastAt: number;
  /** How many times it fired while unseen. */
  count: number;
  /** One plain sentence: what happened and what to do. */
  message: string;
}

/** An activity entry as listed: with a sequence number, the project's name and, if it failed, why. */
export interface ActivityRow extends ActivityEntry {
  /** Increases by one per recorded request in this browser session (stable row key). */
  seq: number;
  projectName: string | null;
  explanation: FailureExplanation | null;
}

export interface ApiUsageRow extends ApiUsage {
  api: OsApi;
  label: string;
}

export interface ProjectMonitoring {
  id: string;
  name: string;
  mode: ProjectMode;
  authMode: AuthMode;
  keyAge: KeyAgeReminder;
  /** Requests in the last 60 s per API against the mode's limit (every API, zeros included). */
  usage: ApiUsageRow[];
}

export interface MonitoringView {
  now: number;
  settings: Settings;
  /** Unseen alerts, newest first. */
  alerts: Alert[];
  /** Alerts already seen (the history), newest first. */
  seenAlerts: Alert[];
  /** Every project, in saved order. */
  projects: ProjectMonitoring[];
  activeProjectId: string | null;
  /** Requests per minute for the last hour, per project: 60 counts, oldest first, the last is the current minute. */
  minutes: { endMinute: number; byProject: Record<string, number[]> };
  /** Per-project, per-API counts for each of the last 30 local days that had requests. */
  daily: DailyCounts;
  /** Where keys are regenerated (the OS Data Hub projects page). */
  keyRotationUrl: string;
}

/** The result of probing one OS API with one cheap request (Check access). */
/**
 * What a probe found: OS accepted the credential; OS refused it (401/403, with OS's reason); or the
 * answer says nothing about the credential (400/404/405/406/429/5xx, timeout, network error).
 */
export type AccessOutcome = 'ok' | 'no-access' | 'could-not-check';

export interface AccessCheckResult {
  api: OsApi;
  label: string;
  /** True when OS answered the probe with a success status. */
  ok: boolean;
  /** Absent only in reports remembered from before issue 15 (read as `ok` / 401–403 / other). */
  outcome?: AccessOutcome;
  /** HTTP status; 0 when there was no answer. */
  status: number;
  explanation: FailureExplanation | null;
}

export interface AccessReport {
  projectId: string;
  checkedAt: number;
  results: AccessCheckResult[];
}
