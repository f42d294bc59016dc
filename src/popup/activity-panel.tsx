/**
 * The popup's "Activity" section: unseen alerts (marked seen once shown), the active project's
 * usage of each API it called in the last minute, a key-age reminder when due, the last requests
 * of this tab, and the way to the full page ("Activity and settings", the options page).
 */
import { useState } from 'preact/hooks';
import type { ActivityRow, Alert, MonitoringView } from '../core/monitoring';
import type { KeyringClient } from '../ui/keyring-client';
import { failed, statusText, timeText, usageText } from '../ui/monitoring-text';
import { usePoll } from '../ui/use-poll';

interface Props {
  client: KeyringClient;
  /** The tab the popup acts on, when it has one. */
  tabId?: number | undefined;
  onOpenOptions?: (() => void) | undefined;
}

export function ActivityPanel({ client, tabId, onOpenOptions }: Props) {
  const [view, setView] = useState<MonitoringView | null>(null);
  const [rows, setRows] = useState<ActivityRow[]>([]);
  // Shown alerts stay for this opening, though the background forgets them once seen.
  const [alerts, setAlerts] = useState<Alert[]>([]);

  async function load() {
    try {
      const v = await client.send('getMonitoring', {});
      setView(v);
      if (v.alerts.length) {
        setAlerts((old) => [...v.alerts, ...old.filter((o) => !v.alerts.some((a) => a.id === o.id))]);
        await client.send('alertsSeen', {});
      }
      if (tabId !== undefined) setRows((await client.send('getActivity', { tabId, limit: 5 })).rows);
    } catch {
      // Monitoring is extra: without it the rest of the popup works as before.
    }
  }
  usePoll(load, 2000);

  const active = view?.projects.find((p) => p.id === view.activeProjectId);
  const openButton = (
    <button type="button" class="link" onClick={onOpenOptions}>
      Open activity and settings
    </button>
  );
  return (
    <section aria-labelledby="activity-heading" class="activity-panel">
      <h2 id="activity-heading" class="visually-hidden">
        Activity
      </h2>
      {alerts.length > 0 && (
        <div role="alert" class="alert">
          {alerts.map((a) => (
            <p key={a.id}>
              {a.message}
              {a.count > 1 && ` (${a.count} times)`}
            </p>
          ))}
        </div>
      )}
      {active?.usage
        .filter((u) => u.count > 0)
        .map((u) => (
          <p key={u.api} class={u.warning ? 'hint warning' : 'hint'}>
            {`${u.label}: ${usageText(u)}`}
          </p>
        ))}
      {active?.usage.some((u) => u.count > 0) && (
        <p class="hint">Per request; OS may bill tiles in bundles, so this can overstate billing.</p>
      )}
      {active?.keyAge.due && (
        <p class="hint warning">
          {active.keyAge.message}{' '}
          <a href={view!.keyRotationUrl} target="_blank" rel="noopener">
            OS Data Hub projects
          </a>{' '}
          <button
            type="button"
            class="link"
            onClick={() => void client.send('markKeyRotated', { id: active.id }).then(load, () => undefined)}
          >
            I rotated it
          </button>
        </p>
      )}
      {tabId !== undefined && (
        <>
          {/* The way to the full page shares the heading's line: a line of its own pushed the OAuth popup past 600 px.
              At 380 px the full heading wrapped beside the link, so "in this tab" is said to screen readers only
              (the name stays "Recent requests in this tab"); the pin above already names this tab. */}
          <div class="section-head recent-head">
            <h3>
              Recent requests<span class="visually-hidden"> in this tab</span>
            </h3>
            {openButton}
          </div>
          {rows.length ? (
            <table class="recent" aria-label="Recent requests in this tab">
              <thead>
                <tr>
                  <th scope="col" class="col-time">
                    Time
                  </th>
                  <th scope="col">Path</th>
                  <th scope="col" class="col-status">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seq} title={`${r.method} ${r.label}${r.explanation ? `: ${r.explanation.title}` : ''}`}>
                    <td class="col-time">{timeText(r.time)}</td>
                    <td class="mono">{r.path}</td>
                    <td class={failed(r.status) ? 'col-status failed' : 'col-status'}>
                      {statusText(r.status)}
                      {r.explanation && <span class="visually-hidden">{`: ${r.explanation.title}`}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="hint">No OS API requests from this tab yet.</p>
          )}
        </>
      )}
      {tabId === undefined && openButton}
    </section>
  );
}
