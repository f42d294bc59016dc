/** The background's answers to the monitoring messages (issue 5): activity, usage, alerts, key age, Check access, settings. */
import { alertsNewestFirst } from '../core/alerts';
import { credentialOf, sentAs } from '../core/credential';
import { explainFailure } from '../core/explain-failure';
import { explainWithAccess } from '../core/explain-with-access';
import { keyAgeReminder, OS_DATA_HUB_PROJECTS_URL } from '../core/key-age';
import { minuteOf, minuteSeries } from '../core/minute-history';
import type { ActivityRow, MonitoringView } from '../core/monitoring';
import { OS_API_LABELS } from '../core/os-api-classify';
import type { KeyringState } from '../core/project';
import { applySettingsPatch } from '../core/settings';
import { markKeyRotated } from '../core/state-updates';
import { pruneDaily, usageNow } from '../core/usage-window';
import type { Handlers } from '../lib/message-handler';
import { MessageFailure } from '../lib/messaging';
import type { ActivityMonitor } from './activity-monitor';
import { runAccessCheck } from './check-access';
import type { SettingsStore } from './settings-store';
import type { BackgroundEnv } from './context';
import type { TokenManager } from './token-manager';
import type { UpdateResult } from '../core/state-updates';
import type { LoadResult } from '../core/migrations';
import type { OpenedState } from './lock-session';
import { LOCKED_MESSAGE } from './lock-session';

export interface MonitoringDeps {
  env: BackgroundEnv;
  queue: <T>(job: () => Promise<T>) => Promise<T>;
  loadOpened(): Promise<{ ok: true; opened: OpenedState } | { ok: false; error: string }>;
  tokens: TokenManager;
  mutate<T>(update: (state: KeyringState) => UpdateResult<T>, options?: { needsSecrets?: boolean }): Promise<T>;
  reconcile(): Promise<LoadResult>;
  monitor: ActivityMonitor;
  settingsStore: SettingsStore;
  applySettings(): Promise<void>;
}

type MonitoringHandlerNames =
  | 'getActivity'
  | 'clearActivity'
  | 'getMonitoring'
  | 'alertsSeen'
  | 'markKeyRotated'
  | 'checkAccess'
  | 'getSettings'
  | 'saveSettings';

export function createMonitoringHandlers(d: MonitoringDeps): Pick<Handlers, MonitoringHandlerNames> {
  /** Projects without secrets (names, plans, key ages); an unreadable state gives none. */
  async function projects(): Promise<KeyringState['projects']> {
    const loaded = await d.queue(() => d.loadOpened());
    return loaded.ok ? loaded.opened.state.projects : [];
  }

  return {
    async getActivity({ tabId, limit, afterSeq, context: seen }) {
      const [entries, list, access] = await Promise.all([d.monitor.entries(), projects(), d.monitor.accessReports()]);
      const byId = new Map(list.map((p) => [p.id, p]));
      // Everything a row's project name and explanation come from (no secrets): while it is unchanged,
      // a page that polls needs only the rows newer than its newest (3,000 rows every 2 s cost it a long task).
      const context = JSON.stringify(
        list.map((p) => [
          p.id,
          p.name,
          p.mode,
          p.keyChangedAt,
          access[p.id]?.keyChangedAt ?? null,
          access[p.id]?.report.checkedAt ?? null,
        ]),
      );
      const since = afterSeq !== undefined && seen === context ? afterSeq : null;
      const rows: ActivityRow[] = [];
      for (let i = entries.length - 1; i >= 0 && rows.length < (limit ?? Number.POSITIVE_INFINITY); i--) {
        const e = entries[i]!;
        if (since !== null && e.seq <= since) break;
        if (tabId !== undefined && e.tabId !== tabId) continue;
        const project = e.projectId ? byId.get(e.projectId) : undefined;
        const fromStatus = explainFailure({
          status: e.status,
          api: e.api,
          credential: sentAs(e.mode),
          ...(e.reasonNone ? { reasonNone: e.reasonNone } : {}),
          url: e.path,
          ...(project ? { mode: project.mode } : {}),
        });
        const explanation = project
          ? explainWithAccess(
              fromStatus,
              e,
              Object.hasOwn(access, project.id) ? access[project.id] : undefined,
              project.keyChangedAt,
            )
          : fromStatus;
        rows.push({ ...e, projectName: project?.name ?? null, explanation });
      }
      return {
        rows,
        recording: d.monitor.recording(),
        now: d.env.now(),
        context,
        ...(since !== null ? { since: { oldestSeq: entries[0]?.seq ?? null } } : {}),
      };
    },

    async clearActivity() {
      await d.monitor.clear();
      return null;
    },

    async getMonitoring() {
      const [loaded, usage, minutes, daily, alerts, seenAlerts, settings] = await Promise.all([
        d.queue(() => d.loadOpened()),
        d.monitor.usage(),
        d.monitor.minutes(),
        d.monitor.daily(),
        d.monitor.alerts(),
        d.monitor.seenAlerts(),
        d.settingsStore.load(),
      ]);
      const list = loaded.ok ? loaded.opened.state.projects : [];
      const now = d.env.now();
      const view: MonitoringView = {
        now,
        settings,
        alerts: alertsNewestFirst(alerts),
        seenAlerts: [...seenAlerts],
        projects: list.map((p) => {
          const perApi = usageNow(usage, { projectId: p.id, mode: p.mode, now });
          return {
            id: p.id,
            name: p.name,
            mode: p.mode,
            authMode: p.authMode,
            keyAge: keyAgeReminder({ keyChangedAt: p.keyChangedAt, now, thresholdDays: settings.keyAgeDays }),
            usage: Object.entries(perApi).map(([api, u]) => ({
              api: api as keyof typeof perApi,
              label: OS_API_LABELS[api as keyof typeof perApi],
              ...u,
            })),
          };
        }),
        activeProjectId: loaded.ok ? loaded.opened.state.activeProjectId : null,
        minutes: {
          endMinute: minuteOf(now),
          byProject: Object.fromEntries(list.map((p) => [p.id, minuteSeries(minutes, p.id, now)])),
        },
        daily: pruneDaily(daily, {
          now,
          utcOffsetMinutes: d.env.utcOffsetMinutes?.() ?? -new Date(now).getTimezoneOffset(),
        }),
        keyRotationUrl: OS_DATA_HUB_PROJECTS_URL,
      };
      return view;
    },

    async alertsSeen() {
      await d.monitor.clearAlerts();
      await d.reconcile(); // the badge leaves its warning state
      return null;
    },

    async markKeyRotated({ id }) {
      await d.mutate((s) => markKeyRotated(s, id, d.env.now()));
      return null;
    },

    async checkAccess({ id }) {
      const loaded = await d.queue(() => d.loadOpened());
      if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
      if (loaded.opened.mode === 'locked') throw new MessageFailure({ code: 'locked', message: LOCKED_MESSAGE });
      const project = loaded.opened.state.projects.find((p) => p.id === id);
      if (!project) throw new MessageFailure({ code: 'not-found', message: 'This project no longer exists.' });
      if (project.authMode === 'oauth') await d.tokens.ensure(project);
      const token = project.authMode === 'oauth' ? await d.tokens.token(project) : null;
      const credential = credentialOf(project, token ? { [project.id]: token } : {}, d.env.now());
      if (!credential && project.authMode === 'oauth') {
        const why = (await d.tokens.view(project)).lastError?.message ?? 'no token could be had.';
        throw new MessageFailure({
          code: 'no-token',
          message: `Access cannot be checked without an OAuth 2 token: ${why}`,
        });
      }
      if (!credential)
        throw new MessageFailure({
          code: 'no-key',
          message: 'This project has no key saved. Paste its key from the OS Data Hub first.',
        });
      // The probes go out as the extension's own requests: the activity log books them to this
      // project. (NGD's public list of collections, read first without a credential, is not booked.)
      const report = await runAccessCheck(
        {
          fetch: (url, init) => d.env.fetch(url, init),
          now: () => d.env.now(),
          beforeProbe: (url) => d.monitor.expectOwnRequest(url, project.id, project.authMode),
        },
        project.id,
        credential,
      );
      await d.monitor.rememberAccess({ report, keyChangedAt: project.keyChangedAt });
      return report;
    },

    getSettings: () => d.settingsStore.load(),

    async saveSettings(patch) {
      const result = applySettingsPatch(await d.settingsStore.load(), patch);
      if (!result.ok) throw new MessageFailure({ code: 'invalid', message: result.message });
      try {
        await d.settingsStore.save(result.settings);
      } catch (err) {
        throw new MessageFailure({
          code: 'storage',
          message: `The browser could not save the settings (${err instanceof Error ? err.message : String(err)}). Nothing was changed.`,
        });
      }
      await d.applySettings();
      return result.settings;
    },
  };
}
