/** Pure helpers of the options page's activity table: filters, the cells' wording, curl URLs. */
import type { ActivityRow } from '../core/monitoring';
import { AUTH_MODE_LABELS } from '../core/project';
import { NONE_REASON_LABELS, failed } from '../ui/monitoring-text';

export interface ActivityFilter {
  /** 'all', a project id, or 'none' (no credential attached). */
  project: string;
  /** 'all' or an API label. */
  api: string;
  /** 'all', 'failed', 'ok' or a status code. */
  status: string;
  /** 'all' or a tab id. */
  tab: string;
}

export const NO_FILTER: ActivityFilter = { project: 'all', api: 'all', status: 'all', tab: 'all' };

export function matches(row: ActivityRow, f: ActivityFilter): boolean {
  return (
    (f.project === 'all' || (row.projectId ?? 'none') === f.project) &&
    (f.api === 'all' || row.label === f.api) &&
    (f.status === 'all' ||
      (f.status === 'failed'
        ? failed(row.status)
        : f.status === 'ok'
          ? !failed(row.status)
          : String(row.status) === f.status)) &&
    (f.tab === 'all' || String(row.tabId) === f.tab)
  );
}

/** The choices each filter offers: what the rows hold, each once, in a stable order. */
export function filterChoices(rows: readonly ActivityRow[]) {
  const projects = new Map<string, string>();
  const apis = new Set<string>();
  const statuses = new Set<number>();
  const tabs = new Set<number>();
  for (const r of rows) {
    projects.set(r.projectId ?? 'none', r.projectId === null ? 'No credential' : (r.projectName ?? r.projectId));
    apis.add(r.label);
    statuses.add(r.status);
    tabs.add(r.tabId);
  }
  const byNumber = (a: number, b: number) => a - b;
  return {
    projects: [...projects].sort((a, b) => a[1].localeCompare(b[1])),
    apis: [...apis].sort(),
    statuses: [...statuses].sort(byNumber),
    tabs: [...tabs].sort(byNumber),
  };
}

/** Which credential went out: "Roads (Key header)", or "None: Site not allowed"; and whether a placeholder `key` was taken out of the URL. */
export function credentialText(row: ActivityRow): string {
  if (row.projectId !== null) {
    const removed = row.placeholderKeyRemoved ? '; placeholder key removed from the URL' : '';
    return `${row.projectName ?? row.projectId}${row.mode ? ` (${AUTH_MODE_LABELS[row.mode]})` : ''}${removed}`;
  }
  return row.reasonNone ? `None: ${NONE_REASON_LABELS[row.reasonNone]}` : 'None';
}

export function tabText(tabId: number): string {
  return tabId < 0 ? 'Not a tab' : `Tab ${tabId}`;
}

export { timeText } from '../ui/monitoring-text';

/** The row's path with every `key` query parameter removed (the copied command adds the credential itself). */
export function pathWithoutKey(path: string): string {
  const noHash = path.split('#')[0] ?? '';
  const q = noHash.indexOf('?');
  if (q === -1) return noHash;
  const isKey = (pair: string) => {
    const name = pair.split('=')[0] ?? '';
    try {
      return decodeURIComponent(name.replace(/\+/g, ' ')).trim().toLowerCase() === 'key';
    } catch {
      return name.trim().toLowerCase() === 'key';
    }
  };
  const kept = noHash
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '' && !isKey(pair));
  return noHash.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '');
}

/**
 * The text filter above the activity grid, DevTools style: space-separated terms, all of which
 * must match. `status:4xx` (or `status:401`, `status:failed`, `status:ok`), `api:places` (any part
 * of the API's name or id), `project:roads`, `method:post`; any other word is looked for in the
 * path. Case does not matter. A `-` before a term excludes what it matches.
 */
export function textFilter(text: string): (row: ActivityRow) => boolean {
  const terms = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const tests = terms.map((term) => {
    const negate = term.startsWith('-') && term.length > 1;
    const t = negate ? term.slice(1) : term;
    const colon = t.indexOf(':');
    const field = colon > 0 ? t.slice(0, colon) : '';
    const value = colon > 0 ? t.slice(colon + 1) : t;
    let test: (row: ActivityRow) => boolean;
    switch (field) {
      case 'status':
        test = statusTest(value);
        break;
      case 'api':
        test = (row) => row.label.toLowerCase().includes(value) || (row.api ?? '').includes(value);
        break;
      case 'project':
        test = (row) => (row.projectName ?? 'none').toLowerCase().includes(value);
        break;
      case 'method':
        test = (row) => row.method.toLowerCase() === value;
        break;
      default:
        test = (row) => row.path.toLowerCase().includes(t);
    }
    return negate ? (row: ActivityRow) => !test(row) : test;
  });
  return (row) => tests.every((test) => test(row));
}

function statusTest(value: string): (row: ActivityRow) => boolean {
  if (value === 'failed' || value === 'error') return (row) => failed(row.status);
  if (value === 'ok') return (row) => !failed(row.status);
  const pattern = /^([0-9x]{3})$/.exec(value);
  if (!pattern) return () => false;
  return (row) => {
    const code = String(row.status).padStart(3, '0');
    return Array.from(value).every((ch, i) => ch === 'x' || ch === code[i]);
  };
}

/**
 * Requests the extension made itself (OAuth token fetches, Check access probes): not what a
 * developer debugging their page is looking for, so the grid hides them unless asked.
 */
export function isOwnRequest(row: ActivityRow): boolean {
  return (
    row.reasonNone === 'extension' ||
    row.reasonNone === 'passthrough' ||
    /^(chrome|moz)-extension:\/\//.test(row.initiator) ||
    (row.tabId < 0 && row.api === 'oauth')
  );
}

/** One line of the grid: a request, or a run of the same failure repeated back to back. */
export type GridItem =
  { kind: 'row'; row: ActivityRow; inGroup?: string } | { kind: 'group'; key: string; rows: ActivityRow[] };

/**
 * Runs of consecutive failures that say the same thing (status, API, credential, explanation)
 * from the same tab and initiator become one group line; a group the user expanded lists its requests under it.
 */
export function groupRepeats(rows: readonly ActivityRow[], expanded: ReadonlySet<string>): GridItem[] {
  const items: GridItem[] = [];
  const same = (a: ActivityRow, b: ActivityRow) =>
    failed(a.status) &&
    a.status === b.status &&
    a.api === b.api &&
    a.projectId === b.projectId &&
    a.reasonNone === b.reasonNone &&
    a.explanation?.title === b.explanation?.title &&
    // A page's failures and the extension's own (a Check access probe) never share a line.
    a.tabId === b.tabId &&
    a.initiator === b.initiator;
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && same(rows[i]!, rows[j]!)) j++;
    if (j - i > 1) {
      // Keyed by its oldest request, which stays the same while newer repeats join the run.
      const key = `g${rows[j - 1]!.seq}`;
      const run = rows.slice(i, j);
      items.push({ kind: 'group', key, rows: run });
      if (expanded.has(key)) for (const row of run) items.push({ kind: 'row', row, inGroup: key });
    } else items.push({ kind: 'row', row: rows[i]! });
    i = j;
  }
  return items;
}

/** The tab a request came from, by its title when the browser lets the extension see it. */
export function tabLabel(row: Pick<ActivityRow, 'tabId' | 'initiator'>, titles: ReadonlyMap<number, string>): string {
  if (row.tabId < 0) return 'Not a tab';
  const title = titles.get(row.tabId);
  if (title) return title;
  if (row.initiator && !/^(chrome|moz)-extension:/.test(row.initiator))
    return `Tab on ${row.initiator.replace(/^https?:\/\//, '')}`;
  return `Tab ${row.tabId}`;
}
