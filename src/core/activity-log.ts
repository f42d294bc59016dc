/**
 * The activity log (issue 5, "Activity log"): a bounded list of observed OS API requests, kept in
 * session memory, and its CSV export. Entries are redacted on the way in, so whatever stores or
 * shows the log cannot leak a key.
 */
import { isoUtc } from './calendar';
import type { NoCredentialReason } from './explain-failure';
import { type OsApi, redactUrl } from './os-api-classify';
import type { AuthMode } from './project';

/** One observed request. Holds no secret: `path` and `initiator` are redacted by {@link appendActivity}. */
export interface ActivityEntry {
  /** When the request started, epoch ms. */
  time: number;
  method: string;
  api: OsApi | 'oauth' | null;
  /** Human name of the API (from classifyOsApiRequest). */
  label: string;
  /** Path and query with any key redacted. */
  path: string;
  /** HTTP status; 0 for a network error. */
  status: number;
  /** Null when durations are not recorded (the "Record durations" setting). */
  durationMs: number | null;
  /** The project whose credential was applied, or null if none was. */
  projectId: string | null;
  mode: AuthMode | null;
  /** Why no credential was applied, when none was. */
  reasonNone?: NoCredentialReason;
  /** -1 when the request did not come from a tab (e.g. the service worker). */
  tabId: number;
  /** The requesting page's origin, or '' if unknown. */
  initiator: string;
  /** Key header or OAuth 2 mode: the rules removed a `key` query parameter the page had left in the URL. */
  placeholderKeyRemoved?: true;
}

/** Default ring size: "a few thousand" entries (issue 5). */
export const DEFAULT_ACTIVITY_MAX = 3000;

/**
 * Append `entry` (redacted) to `ring`, oldest first, keeping at most `max` entries by dropping the
 * oldest. Returns a new array; `ring` is untouched. A `max` below 1 (or not a number) means 1.
 */
export function appendActivity<E extends ActivityEntry>(ring: readonly E[], entry: E, max = DEFAULT_ACTIVITY_MAX): E[] {
  const cap = Number.isFinite(max) && max >= 1 ? Math.floor(max) : 1;
  // Redact again here even if the caller already did: this is the last point before storage.
  const safe: E = { ...entry, path: redactUrl(entry.path), initiator: redactUrl(entry.initiator) };
  const keep = ring.length >= cap ? ring.slice(ring.length - cap + 1) : ring;
  return [...keep, safe];
}

/** CSV columns, in order. */
export const ACTIVITY_CSV_COLUMNS = [
  'time',
  'method',
  'api',
  'label',
  'path',
  'status',
  'durationMs',
  'projectId',
  'mode',
  'reasonNone',
  'tabId',
  'initiator',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, with quotes doubled.
 * Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading
 * `'`, since the log records page-controlled strings such as paths and initiators.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The entries as CSV (header row first, CRLF line ends, time as ISO 8601 UTC); paths re-redacted. */
export function activityToCsv(entries: readonly ActivityEntry[]): string {
  const rows = [ACTIVITY_CSV_COLUMNS.join(',')];
  for (const e of entries) {
    rows.push(
      [
        isoUtc(e.time),
        e.method,
        e.api,
        e.label,
        redactUrl(e.path),
        e.status,
        e.durationMs,
        e.projectId,
        e.mode,
        e.reasonNone,
        e.tabId,
        redactUrl(e.initiator),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}
