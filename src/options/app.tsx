/**
 * The options page, "Activity and settings", opened in a tab of its own: an app with a navigation
 * bar (Activity, Usage, Projects, Sites, Keys, Settings; the URL hash keeps the place, Activity
 * first). It reads everything from the background (like the popup, it never reads storage) and
 * refreshes every 2 seconds while visible.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PopupState } from '../core/messages';
import type { Alert, MonitoringView } from '../core/monitoring';
import { OS_API_LABELS } from '../core/os-api-classify';
import { messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';
import { usePoll } from '../ui/use-poll';
import { ActivitySection } from './activity-section';
import { type ActivityLog, mergeActivity, nextActivityRequest } from './activity-merge';
import { BackupPanel } from './backup-panel';
import { DamagedBackups } from './damaged-backups';
import type { BackupInfo } from '../core/sealed-backup';
import { timeText } from './activity-format';
import { KeysSection } from './keys-section';
import { SettingsSection } from './settings-section';
import { ViewerSetting } from './viewer-setting';
import { UsageSection } from './usage-section';
import { ProjectsSection } from './projects-section';
import { SiteAccessPanel } from '../ui/site-access-panel';
import { LockPanel } from '../ui/lock-panel';
import { CopyCurl } from '../ui/copy-curl';

interface Props {
  client: KeyringClient;
  requestNotifications: () => Promise<boolean>;
  /** How often to refresh while visible (ms). */
  pollMs?: number;
  /** Titles of the open tabs the extension may see (the activity grid names tabs by title). */
  loadTabTitles?: () => Promise<ReadonlyMap<number, string>>;
}

/**
 * Alerts, newest first: those raised since the last look (marked seen once shown here) and the
 * history of those already seen (in this browser session).
 */
function AlertsSection({ alerts, view }: { alerts: Alert[]; view: MonitoringView }) {
  const projectName = (id: string | null) => view.projects.find((p) => p.id === id)?.name;
  const fresh = new Set(alerts.map((a) => `${a.id}@${a.firstAt}`));
  const all = [
    ...alerts.map((a) => ({ alert: a, seen: false })),
    ...view.seenAlerts.filter((a) => !fresh.has(`${a.id}@${a.firstAt}`)).map((a) => ({ alert: a, seen: true })),
  ].sort((x, y) => y.alert.lastAt - x.alert.lastAt);
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
      {all.length === 0 ? (
        <p class="empty">No alerts in this browser session.</p>
      ) : (
        <div role={alerts.length ? 'alert' : undefined}>
          <ul class="alerts" aria-label="Alerts, newest first">
            {all.map(({ alert: a, seen }) => (
              <li key={`${a.id}@${a.firstAt}`} class={seen ? 'alert seen' : 'alert'}>
                <p>
                  {!seen && <span class="pill bad">New</span>} {a.message}
                </p>
                <p class="hint">
                  {[
                    projectName(a.projectId),
                    a.api && OS_API_LABELS[a.api],
                    `last at ${timeText(a.lastAt)}`,
                    a.count > 1 && `${a.count} times`,
                    seen && 'seen',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The pages of the app, in navigation order; the hash (#activity, …) names one. */
export const PAGES = [
  ['activity', 'Activity'],
  ['usage', 'Usage'],
  ['projects', 'Projects'],
  ['sites', 'Sites'],
  ['keys', 'Keys'],
  ['settings', 'Settings'],
] as const;
export type PageId = (typeof PAGES)[number][0];

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#/, '');
  return PAGES.find(([p]) => p === id)?.[0] ?? 'activity';
}

/** The page named by the URL hash, following it (links, Back and Forward). */
function useHashPage(): PageId {
  const [page, setPage] = useState<PageId>(() => pageFromHash(location.hash));
  useEffect(() => {
    const onHash = () => setPage(pageFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return page;
}

export function OptionsApp({ client, requestNotifications, pollMs = 2000, loadTabTitles }: Props) {
  const [view, setView] = useState<MonitoringView | null>(null);
  const [activity, setActivity] = useState<ActivityLog | null>(null);
  // The log as last merged: load() is the same closure for the page's life (usePoll), so it reads this.
  const activityNow = useRef<ActivityLog | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [state, setState] = useState<PopupState | null>(null);
  // Alerts shown on this page stay listed while it is open, though the background clears them once seen.
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [siteError, setSiteError] = useState<string | null>(null);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [tabTitles, setTabTitles] = useState<ReadonlyMap<number, string>>(new Map());
  const page = useHashPage();

  // Each part loads on its own, so one failing (say, monitoring) leaves the others usable.
  async function load() {
    const errors: string[] = [];
    const part = <T,>(request: Promise<T>, use: (value: T) => unknown) =>
      request.then(use).catch((err: unknown) => {
        errors.push(messageOf(err));
      });
    await Promise.all([
      part(client.send('getState', {}), setState),
      part(client.send('getActivity', nextActivityRequest(activityNow.current)), (reply) => {
        activityNow.current = mergeActivity(activityNow.current, reply);
        setActivity(activityNow.current);
      }),
      part(client.send('listBackups', {}), (r) => setBackups(r.backups)),
      loadTabTitles?.().then(setTabTitles, () => undefined),
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

  const active = state?.projects.find((p) => p.id === state.activeProjectId);
  return (
    <div class="app">
      <header class="app-bar">
        <h1>OS API Keyring: activity and settings</h1>
        <nav aria-label="Sections" class="app-nav">
          {PAGES.map(([id, label]) => (
            <a key={id} href={`#${id}`} aria-current={page === id ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main class="app-main">
        {loadError && (
          <p role="alert" class="alert">
            {`Could not load: ${loadError}`}
          </p>
        )}
        {!state && !view && !activity && !loadError && <p>Loading…</p>}
        {page === 'activity' && (
          <>
            {view && <AlertsSection alerts={alerts} view={view} />}
            {activity && (
              <ActivitySection
                client={client}
                rows={activity.rows}
                recording={activity.recording}
                onChanged={load}
                tabTitles={tabTitles}
              />
            )}
          </>
        )}
        {page === 'usage' && view && <UsageSection view={view} />}
        {page === 'projects' && state && <ProjectsSection client={client} state={state} onChanged={load} />}
        {page === 'sites' && state && (
          <>
            <SiteAccessPanel
              page={null}
              allowedSites={state.allowedSites}
              // Sites are allowed from the popup, on the site's own page (the browser asks there).
              onAllow={() => undefined}
              onRevoke={(site) =>
                void client.send('revokeSite', { site }).then(load, (err: unknown) => setSiteError(messageOf(err)))
              }
            />
            {siteError && (
              <p role="alert" class="alert">
                {siteError}
              </p>
            )}
          </>
        )}
        {page === 'keys' && (
          <>
            {view && <KeysSection client={client} view={view} onChanged={load} />}
            {active && state?.lock !== 'locked' && (
              <section aria-labelledby="curl-title" class="page">
                <h2 id="curl-title">Copy as curl</h2>
                <CopyCurl client={client} project={active} />
              </section>
            )}
          </>
        )}
        {page === 'settings' && (
          <SettingsSection
            client={client}
            settings={view?.settings ?? null}
            requestNotifications={requestNotifications}
            onChanged={load}
          >
            {view && <ViewerSetting client={client} viewer={view.settings.viewer} onChanged={load} />}
            {state && state.lock !== 'locked' && (
              <LockPanel
                client={client}
                lock={state.lock}
                plainBackups={backups?.filter((b) => !b.sealed).length ?? 0}
                onChanged={() => void load()}
              />
            )}
            {state && state.lock !== 'locked' && <BackupPanel client={client} projectCount={state.projects.length} />}
            {backups && <DamagedBackups client={client} backups={backups} onChanged={load} />}
          </SettingsSection>
        )}
      </main>
    </div>
  );
}
