/**
 * The options page, "Activity and settings", opened in a tab of its own: the activity log,
 * usage against the plan limits, alerts, key ages and access checks, and the settings. It reads
 * everything from the background (like the popup, it never reads storage) and refreshes every
 * 2 seconds while visible.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ActivityRow, Alert, MonitoringView } from '../core/monitoring';
import { OS_API_LABELS } from '../core/os-api-classify';
import { messageOf } from '../popup/action-messages';
import type { KeyringClient } from '../popup/keyring-client';
import { usePoll } from '../popup/monitoring-text';
import { ActivitySection } from './activity-section';
import { BackupPanel } from './backup-panel';
import { timeText } from './activity-format';
import { KeysSection } from './keys-section';
import { SettingsSection } from './settings-section';
import { ViewerSetting } from './viewer-setting';
import { UsageSection } from './usage-section';

interface Props {
  client: KeyringClient;
  requestNotifications: () => Promise<boolean>;
  /** How often to refresh while visible (ms). */
  pollMs?: number;
}

function AlertsSection({ alerts, view }: { alerts: Alert[]; view: MonitoringView }) {
  const projectName = (id: string | null) => view.projects.find((p) => p.id === id)?.name;
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
      {alerts.length === 0 ? (
        <p class="empty">No new alerts.</p>
      ) : (
        <>
          <p class="hint">Shown once: they are cleared now that you have seen them.</p>
          <ul class="alerts" role="alert">
            {alerts.map((a) => (
              <li key={a.id} class="alert">
                <p>{a.message}</p>
                <p class="hint">
                  {[projectName(a.projectId), a.api && OS_API_LABELS[a.api], `last at ${timeText(a.lastAt)}`, a.count > 1 && `${a.count} times`].filter(Boolean).join(' · ')}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function OptionsApp({ client, requestNotifications, pollMs = 2000 }: Props) {
  const [view, setView] = useState<MonitoringView | null>(null);
  const [activity, setActivity] = useState<{ rows: ActivityRow[]; recording: boolean } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [projectCount, setProjectCount] = useState<number | null>(null);
  // Alerts shown on this page stay listed while it is open, though the background clears them once seen.
  const [alerts, setAlerts] = useState<Alert[]>([]);

  // Each part loads on its own, so one failing (say, monitoring) leaves the others usable.
  async function load() {
    const errors: string[] = [];
    const part = <T,>(request: Promise<T>, use: (value: T) => unknown) =>
      request.then(use).catch((err: unknown) => {
        errors.push(messageOf(err));
      });
    await Promise.all([
      part(client.send('getState', {}), (state) => setProjectCount(state.projects.length)),
      part(client.send('getActivity', {}), setActivity),
      part(client.send('getMonitoring', {}), async (v) => {
        setView(v);
        if (v.alerts.length) {
          setAlerts((old) => [...v.alerts, ...old.filter((o) => !v.alerts.some((n) => n.id === o.id))]);
          await client.send('alertsSeen', {});
        }
      }),
    ]);
    setLoadError(errors[0] ?? null);
  }
  usePoll(load, pollMs);
  // Projects saved elsewhere (the popup, an import) show here at once.
  useEffect(() => client.subscribe(() => void load()), []);

  return (
    <main>
      <h1>OS API Keyring: activity and settings</h1>
      {loadError && (
        <p role="alert" class="alert">
          {`Could not load: ${loadError}`}
        </p>
      )}
      {projectCount === null && !view && !activity && !loadError && <p>Loading…</p>}
      <nav aria-label="Sections">
        <a href="#alerts-title">Alerts</a> <a href="#activity-title">Activity</a> <a href="#usage-title">Usage</a> <a href="#keys-title">Keys</a>{' '}
        <a href="#settings-title">Settings</a>
      </nav>
      {view && <AlertsSection alerts={alerts} view={view} />}
      {activity && <ActivitySection client={client} rows={activity.rows} recording={activity.recording} onChanged={load} />}
      {view && <UsageSection view={view} />}
      {view && <KeysSection client={client} view={view} onChanged={load} />}
      <SettingsSection client={client} settings={view?.settings ?? null} requestNotifications={requestNotifications} onChanged={load}>
        {view && <ViewerSetting client={client} viewer={view.settings.viewer} onChanged={load} />}
        {projectCount !== null && <BackupPanel client={client} projectCount={projectCount} />}
      </SettingsSection>
    </main>
  );
}
