/** Pure helpers of the options page's activity table: filters, the cells' wording, curl URLs. */
import type { ActivityRow } from '../core/monitoring';
import { AUTH_MODE_LABELS } from '../core/project';
import { NONE_REASON_LABELS, failed } from '../popup/monitoring-text';

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
    (f.status === 'all' || (f.status === 'failed' ? failed(row.status) : f.status === 'ok' ? !failed(row.status) : String(row.status) === f.status)) &&
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

/** Which credential went out: "Roads (Key header)", or "None: Site not allowed". */
export function credentialText(row: ActivityRow): string {
  if (row.projectId !== null) return `${row.projectName ?? row.projectId}${row.mode ? ` (${AUTH_MODE_LABELS[row.mode]})` : ''}`;
  return row.reasonNone ? `None: ${NONE_REASON_LABELS[row.reasonNone]}` : 'None';
}

export function tabText(tabId: number): string {
  return tabId < 0 ? 'Not a tab' : `Tab ${tabId}`;
}

export function timeText(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

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
