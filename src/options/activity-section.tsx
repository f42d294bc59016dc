/**
 * "Activity": the recorded OS API requests of this browser session, newest first, with filters,
 * CSV export of what the filters show, Clear, and "Copy as curl" per request.
 */
import { useState } from 'preact/hooks';
import { activityToCsv } from '../core/activity-log';
import { dayKey } from '../core/calendar';
import type { ActivityRow } from '../core/monitoring';
import { OS_API_HOST } from '../core/os-api';
import { ActionMessages, messageOf } from '../popup/action-messages';
import { downloadText } from './download-file';
import type { KeyringClient } from '../popup/keyring-client';
import { statusText } from '../popup/monitoring-text';
import { type ActivityFilter, NO_FILTER, credentialText, filterChoices, matches, pathWithoutKey, tabText, timeText } from './activity-format';

interface Props {
  client: KeyringClient;
  rows: ActivityRow[];
  /** Whether requests are being recorded (the Record activity setting). */
  recording: boolean;
  /** Load the rows again (after Clear). */
  onChanged: () => unknown;
}


/** Rows drawn at once; the rest are counted, filtered and exported. */
export const MAX_DRAWN_ROWS = 500;
function Filter({ id, label, value, onChange, options }: { id: string; label: string; value: string; onChange: (v: string) => void; options: [string, string][] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ActivitySection({ client, rows, recording, onChanged }: Props) {
  const [filter, setFilter] = useState<ActivityFilter>(NO_FILTER);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const choices = filterChoices(rows);
  const shown = rows.filter((r) => matches(r, filter));
  // The log holds up to 3,000 requests; drawing them all every 2 s would make the page sluggish.
  const drawn = shown.length > MAX_DRAWN_ROWS ? shown.slice(0, MAX_DRAWN_ROWS) : shown;
  const set = (field: keyof ActivityFilter) => (value: string) => setFilter((f) => ({ ...f, [field]: value }));

  async function act(action: () => string | Promise<string>, failure = '') {
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
    } catch (err) {
      setError(failure + messageOf(err));
    }
  }

  const exportCsv = () =>
    act(() => {
      const name = `os-api-activity-${dayKey(Date.now(), -new Date().getTimezoneOffset())}.csv`;
      downloadText(name, activityToCsv(shown), 'text/csv');
      return `Exported ${shown.length} request${shown.length === 1 ? '' : 's'} to ${name}.`;
    });

  const clear = () =>
    act(async () => {
      await client.send('clearActivity', {});
      await onChanged();
      return 'Activity cleared.';
    });

  const copyCurl = (row: ActivityRow) =>
    act(async () => {
      // The row's own project when it had one (a pinned tab may have used another than the active one).
      const { command } = await client.send('copyCurlCommand', { url: `https://${OS_API_HOST}${pathWithoutKey(row.path)}`, ...(row.projectId ? { projectId: row.projectId } : {}) });
      await navigator.clipboard.writeText(command);
      return 'Copied a curl command with the active project’s credential: treat it as a secret.';
    }, 'Could not copy: ');

  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      <p class="hint">
        Requests to api.os.uk in this browser session, newest first, with the key redacted. The list refreshes every 2 seconds while this page is visible.
      </p>
      {!recording && <p class="hint warning">Recording is off: new requests are not listed. Turn on Record activity under Settings.</p>}
      <div class="filters" role="group" aria-label="Filter requests">
        <Filter id="filter-project" label="Project" value={filter.project} onChange={set('project')} options={[['all', 'All projects'], ...choices.projects]} />
        <Filter id="filter-api" label="API" value={filter.api} onChange={set('api')} options={[['all', 'All APIs'], ...choices.apis.map((a): [string, string] => [a, a])]} />
        <Filter
          id="filter-status"
          label="Status"
          value={filter.status}
          onChange={set('status')}
          options={[['all', 'All'], ['failed', 'Failed'], ['ok', 'Succeeded'], ...choices.statuses.map((s): [string, string] => [String(s), statusText(s)])]}
        />
        <Filter id="filter-tab" label="Tab" value={filter.tab} onChange={set('tab')} options={[['all', 'All tabs'], ...choices.tabs.map((t): [string, string] => [String(t), tabText(t)])]} />
      </div>
      <div class="actions">
        <button type="button" onClick={() => void exportCsv()} disabled={shown.length === 0}>
          Export CSV
        </button>
        <button type="button" class="danger" onClick={() => void clear()} disabled={rows.length === 0}>
          Clear activity
        </button>
      </div>
      <ActionMessages error={error} status={status} />
      <p class="hint" id="activity-count">
        {`Showing ${shown.length} of ${rows.length} request${rows.length === 1 ? '' : 's'}.`}
        {drawn.length < shown.length && ` The newest ${drawn.length} are listed: narrow the filters, or Export CSV for all ${shown.length}.`}
      </p>
      {shown.length > 0 && (
        <div class="table-wrap">
          <table class="activity" aria-labelledby="activity-title" aria-describedby="activity-count">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Method</th>
                <th scope="col">API</th>
                <th scope="col">Path</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Credential</th>
                <th scope="col">Tab</th>
                <th scope="col">Initiator</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            {drawn.map((r) => (
              <tbody key={r.seq} class={r.explanation ? 'failed' : undefined}>
                <tr>
                  <td>
                    <time dateTime={new Date(r.time).toISOString()}>{timeText(r.time)}</time>
                  </td>
                  <td>{r.method}</td>
                  <td>{r.label}</td>
                  <td class="mono path" id={`path-${r.seq}`}>
                    {r.path}
                  </td>
                  <td class={r.explanation ? 'warning' : undefined}>{statusText(r.status)}</td>
                  <td>{r.durationMs === null ? '–' : `${Math.round(r.durationMs)} ms`}</td>
                  <td>{credentialText(r)}</td>
                  <td>{tabText(r.tabId)}</td>
                  <td class="mono">{r.initiator || '–'}</td>
                  <td>
                    {r.api !== 'oauth' && (
                      <button type="button" aria-describedby={`path-${r.seq}`} onClick={() => void copyCurl(r)}>
                        Copy as curl
                      </button>
                    )}
                  </td>
                </tr>
                {r.explanation && (
                  <tr class="explanation">
                    <td colSpan={10}>
                      <strong>{r.explanation.title}:</strong> {r.explanation.detail} <span class="todo">What to do: {r.explanation.action}</span>
                    </td>
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}
