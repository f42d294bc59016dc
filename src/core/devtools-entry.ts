/**
 * The DevTools "OS API" panel's rows (issue 17): one finished request of the inspected tab, as
 * DevTools gives it (a HAR entry), turned into what the panel keeps and shows. Redaction happens
 * here, before anything is kept: the `key` query parameter (query mode puts it in the URL) and the
 * `key` / `Authorization` headers never reach the panel's state or DOM. Pure: no browser API.
 */
import { sentAs } from './credential';
import {
  explainFailure,
  type CredentialSent,
  type FailureExplanation,
  type NoCredentialReason,
} from './explain-failure';
import { classifyOsApiRequest, type OsApi, redactUrl } from './os-api-classify';
import { OS_API_HOST } from './os-api';
import type { AuthMode } from './project';

/** The part of a HAR 1.2 entry the panel reads (DevTools adds fields; all are optional here). */
export interface HarEntry {
  startedDateTime?: string;
  time?: number;
  request?: { method?: string; url?: string; headers?: HarPair[]; queryString?: HarPair[] };
  response?: {
    status?: number;
    statusText?: string;
    headers?: HarPair[];
    content?: { size?: number; mimeType?: string };
    bodySize?: number;
    _transferSize?: number;
  };
  timings?: Partial<Record<'blocked' | 'dns' | 'connect' | 'ssl' | 'send' | 'wait' | 'receive', number>>;
}
export interface HarPair {
  name: string;
  value: string;
}

/** Shown in place of any credential. */
export const MASK = '…redacted…';
/** Headers that carry a credential: their values are masked before they are kept. */
const SECRET_HEADERS = new Set(['key', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

export interface PanelRow {
  /** Increasing per row in this panel. */
  id: number;
  /** Epoch ms. */
  startedAt: number;
  method: string;
  api: OsApi | 'oauth' | null;
  label: string;
  /** Path and query, key redacted. */
  path: string;
  /** Full URL, key redacted. */
  url: string;
  status: number;
  statusText: string;
  /** Bytes on the wire when known, else the body size; -1 when unknown. */
  size: number;
  durationMs: number;
  mimeType: string;
  /** Query parameters, `key` masked. */
  query: [string, string][];
  /** As DevTools reports them, credential headers masked. */
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  timings: [string, number][];
  /** Whether the URL carried a `key` parameter (query mode, or the page's own). */
  keyInUrl: boolean;
}

export function isOsApiUrl(url: string | undefined): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname === OS_API_HOST;
  } catch {
    return false;
  }
}

const maskHeaders = (headers: HarPair[] | undefined): [string, string][] =>
  (headers ?? []).map((h) => [
    h.name,
    SECRET_HEADERS.has(h.name.toLowerCase()) ? maskValue(h.name, h.value) : redactUrl(h.value),
  ]);

/** `Bearer …redacted…` keeps the scheme (useful to see), never the token. */
function maskValue(name: string, value: string): string {
  const scheme = name.toLowerCase() === 'authorization' ? /^(\w+)\s/.exec(value)?.[1] : undefined;
  return scheme ? `${scheme} ${MASK}` : MASK;
}

/** The row for a finished request (started at `startedAt`, epoch ms), redacted; null for anything not on api.os.uk. */
export function rowFromHar(entry: HarEntry, id: number, startedAt: number): PanelRow | null {
  const rawUrl = entry.request?.url;
  if (!rawUrl || !isOsApiUrl(rawUrl)) return null;
  const u = new URL(rawUrl);
  const url = redactUrl(rawUrl);
  const { api, label } = classifyOsApiRequest(rawUrl);
  const transfer = entry.response?._transferSize;
  const body = entry.response?.content?.size;
  return {
    id,
    startedAt,
    method: entry.request?.method ?? 'GET',
    api,
    label,
    // Sliced rather than re-parsed: URL would percent-encode the redaction mark.
    path: url.replace(/^https:\/\/[^/]+/i, ''),
    url,
    status: entry.response?.status ?? 0,
    statusText: entry.response?.statusText ?? '',
    size: typeof transfer === 'number' && transfer >= 0 ? transfer : typeof body === 'number' && body >= 0 ? body : -1,
    durationMs: Math.max(0, Math.round(entry.time ?? 0)),
    mimeType: entry.response?.content?.mimeType ?? '',
    query: [...u.searchParams].map(([k, v]) => [k, k.toLowerCase() === 'key' ? MASK : redactUrl(v)]),
    requestHeaders: maskHeaders(entry.request?.headers),
    responseHeaders: maskHeaders(entry.response?.headers),
    timings: Object.entries(entry.timings ?? {}).filter(
      (t): t is [string, number] => typeof t[1] === 'number' && t[1] >= 0,
    ),
    keyInUrl: u.searchParams.has('key'),
  };
}

/** What the extension knows about a row's credential (from the activity log), or why none; null while unknown. */
export type RowCredential =
  { projectId: string; projectName: string; mode: AuthMode } | { reasonNone: NoCredentialReason } | null;

/** An activity-log row as the background lists it (the fields matching needs). */
export interface LoggedRequest {
  seq: number;
  time: number;
  path: string;
  projectId: string | null;
  projectName: string | null;
  mode: AuthMode | null;
  reasonNone?: NoCredentialReason;
}

/**
 * Pair panel rows with the activity log's record of the same request (the log attributes each
 * request from what was sent): same redacted path, nearest start within 5 s, each log row used
 * once. Returns row id → credential for the rows that found one.
 */
export function matchActivity(
  rows: readonly Pick<PanelRow, 'id' | 'path' | 'startedAt'>[],
  logged: readonly LoggedRequest[],
  taken: Set<number> = new Set(),
): Map<number, RowCredential> {
  const byPath = new Map<string, LoggedRequest[]>();
  for (const l of logged) if (!taken.has(l.seq)) (byPath.get(l.path) ?? byPath.set(l.path, []).get(l.path)!).push(l);
  const out = new Map<number, RowCredential>();
  for (const row of rows) {
    let best: LoggedRequest | undefined;
    for (const l of byPath.get(row.path) ?? []) {
      if (taken.has(l.seq) || Math.abs(l.time - row.startedAt) > 5_000) continue;
      if (!best || Math.abs(l.time - row.startedAt) < Math.abs(best.time - row.startedAt)) best = l;
    }
    if (!best) continue;
    taken.add(best.seq);
    out.set(
      row.id,
      best.projectId && best.mode
        ? { projectId: best.projectId, projectName: best.projectName ?? 'A project', mode: best.mode }
        : { reasonNone: best.reasonNone ?? 'off' },
    );
  }
  return out;
}

/** A response body with any key or token in it redacted (bodies can echo the request URL). */
export function redactBody(text: string): string {
  return text.replace(/([?&;]key=)[^&"'<>\s]*/gi, `$1${MASK}`).replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${MASK}`);
}

/**
 * OS's own reason for a failed request, read from the response body with core's explanations
 * (fault JSON, OGC XML, RFC 7807, Places errors: whatever `explainFailure` reads). The one place
 * the panel maps a body to a reason. Null for a success.
 */
export function reasonFromBody(
  row: Pick<PanelRow, 'status' | 'api' | 'url'>,
  body: string | undefined,
  credential: RowCredential,
): FailureExplanation | null {
  // Unknown (not in the log yet, or recording off): read as sent, so the reason leans on OS's answer.
  const sent: CredentialSent =
    credential && 'mode' in credential ? sentAs(credential.mode) : credential === null ? 'header' : 'none';
  return explainFailure({
    status: row.status,
    api: row.api,
    ...(body !== undefined ? { body } : {}),
    credential: sent,
    ...(credential && 'reasonNone' in credential ? { reasonNone: credential.reasonNone } : {}),
    url: row.url,
  });
}

/** Filter text: words that must all match; `status:4xx` / `status:429`, `api:names`, else a path or API substring. */
export function matchesFilter(row: Pick<PanelRow, 'status' | 'path' | 'label' | 'api'>, filter: string): boolean {
  for (const word of filter.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    const status = /^status:(\d)(\d|x)(\d|x)$/.exec(word);
    if (status) {
      const s = String(row.status).padStart(3, '0');
      if (![1, 2, 3].every((i) => status[i] === 'x' || status[i] === s[i - 1])) return false;
      continue;
    }
    if (word.startsWith('api:')) {
      const want = word.slice(4);
      if (!(row.api ?? '').toLowerCase().includes(want) && !row.label.toLowerCase().includes(want)) return false;
      continue;
    }
    if (!row.path.toLowerCase().includes(word) && !row.label.toLowerCase().includes(word)) return false;
  }
  return true;
}

/** The URL with no `key` parameter (for Copy as fetch, and for Copy as curl, where the background adds the credential). */
export function withoutKey(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('key');
  return u.toString();
}

/** "Copy as fetch": code that relies on the extension, so it carries no key (any `key` parameter is dropped). */
export function fetchSnippet(row: Pick<PanelRow, 'url' | 'method'>): string {
  const u = new URL(withoutKey(row.url));
  const init = row.method === 'GET' ? '' : `, { method: ${JSON.stringify(row.method)} }`;
  return `// The OS API Keyring extension adds the credential.\nconst response = await fetch(${JSON.stringify(u.toString())}${init});`;
}

/** Size as DevTools shows it. */
export function sizeText(bytes: number): string {
  if (bytes < 0) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Pretty-print a JSON or XML body for the details pane; anything else as it is (capped). */
export function prettyBody(body: string, mimeType: string): string {
  const capped = body.length > 200_000 ? body.slice(0, 200_000) + '\n…' : body;
  if (/json/i.test(mimeType) || /^\s*[[{]/.test(capped)) {
    try {
      return JSON.stringify(JSON.parse(capped), null, 2);
    } catch {
      return capped;
    }
  }
  if (/xml/i.test(mimeType) || /^\s*</.test(capped)) {
    let depth = 0;
    return capped
      .replace(/>\s*</g, '>\n<')
      .split('\n')
      .map((line) => {
        if (/^<\//.test(line)) depth = Math.max(0, depth - 1);
        const out = '  '.repeat(depth) + line;
        // An opening tag alone on its line (not self-closing, not closed on the same line) indents the next.
        if (/^<[^!?/]/.test(line) && !/\/>$/.test(line) && !/<\/[^>]+>$/.test(line)) depth++;
        return out;
      })
      .join('\n');
  }
  return capped;
}
