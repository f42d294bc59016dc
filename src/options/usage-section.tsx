/**
 * "Usage": per project, the requests of the last 60 s to each API against the mode's limit (a
 * warning from 80 %), and charts of requests per minute for the last hour and per day for the
 * last 30 days.
 */
import { dayIndex, dayKeyFromIndex } from '../core/calendar';
import type { MonitoringView, ProjectMonitoring } from '../core/monitoring';
import { USAGE_COUNTING_NOTE } from '../core/usage-window';
import { usageText } from '../ui/monitoring-text';
import { BarChart } from './bar-chart';

const MODE_NAMES = { dev: 'Development mode', live: 'Live mode' } as const;

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function hhmm(minute: number): string {
  return new Date(minute * 60_000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** Requests per minute of one project, oldest first, labelled with the local time. */
export function minuteBars(view: MonitoringView, projectId: string): { label: string; value: number }[] {
  const counts = view.minutes.byProject[projectId] ?? [];
  const first = view.minutes.endMinute - 59;
  return Array.from({ length: 60 }, (_, i) => ({
    label: hhmm(first + i),
    value: counts[i - (60 - counts.length)] ?? 0,
  }));
}

/** Requests per local day of one project over the last 30 days, oldest first, days without requests as 0. */
export function dailyBars(view: MonitoringView, projectId: string): { label: string; value: number }[] {
  const today = dayIndex(view.now, -new Date(view.now).getTimezoneOffset());
  return Array.from({ length: 30 }, (_, i) => {
    const index = today - 29 + i;
    const bucket = view.daily.find((b) => b.dayIndex === index);
    const counts = bucket && Object.hasOwn(bucket.counts, projectId) ? bucket.counts[projectId] : undefined;
    return { label: dayKeyFromIndex(index), value: sum(Object.values(counts ?? {})) };
  });
}

function summary(bars: { label: string; value: number }[], period: string, unit: string): string {
  const total = sum(bars.map((b) => b.value));
  if (total === 0) return `No requests in ${period}.`;
  const busiest = bars.reduce((a, b) => (b.value > a.value ? b : a));
  return `${total} request${total === 1 ? '' : 's'} in ${period}; the busiest ${unit} was ${busiest.label} with ${busiest.value}.`;
}

function ProjectUsage({ view, project }: { view: MonitoringView; project: ProjectMonitoring }) {
  const minutes = minuteBars(view, project.id);
  const days = dailyBars(view, project.id);
  const id = `usage-${project.id}`;
  return (
    <section aria-labelledby={id} class="project-usage">
      <h3 id={id}>
        {project.name} <span class="hint">({MODE_NAMES[project.mode]})</span>
      </h3>
      <ul class="meters">
        {project.usage.map((u) => (
          <li key={u.api} class={u.warning ? 'warning' : undefined}>
            <label for={`${id}-${u.api}`}>{u.label}</label>
            <meter
              id={`${id}-${u.api}`}
              min={0}
              max={u.limit}
              value={Math.min(u.count, u.limit)}
              low={u.limit * 0.8}
              high={u.limit * 0.8}
              optimum={0}
              aria-describedby={`${id}-${u.api}-text`}
            />
            <span id={`${id}-${u.api}-text`}>{usageText(u)}</span>
          </li>
        ))}
      </ul>
      <div class="charts">
        <BarChart
          id={`${id}-minutes`}
          title={`${project.name}: requests per minute, last hour`}
          desc={summary(minutes, 'the last hour', 'minute')}
          xTitle="Minute"
          yTitle="Requests"
          bars={minutes}
        />
        <BarChart
          id={`${id}-days`}
          title={`${project.name}: requests per day, last 30 days`}
          desc={summary(days, 'the last 30 days', 'day')}
          xTitle="Day"
          yTitle="Requests"
          bars={days}
        />
      </div>
    </section>
  );
}

export function UsageSection({ view }: { view: MonitoringView }) {
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <p class="hint">
        Requests in the last 60 seconds to each OS API, against the project mode’s limit of transactions per API per
        minute (50 in Development mode, 600 in Live). OS refuses requests over the limit (429).
      </p>
      <p class="hint">{USAGE_COUNTING_NOTE}</p>
      {view.projects.length === 0 ? (
        <p class="empty">No projects yet.</p>
      ) : (
        view.projects.map((p) => <ProjectUsage key={p.id} view={view} project={p} />)
      )}
    </section>
  );
}
