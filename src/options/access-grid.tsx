/**
 * The result of Check access as a compact grid: one row per OS API, its result and HTTP status,
 * and OS's reason behind a disclosure. Its own component (no layout of its own beyond the table)
 * so the options page can host it wherever its layout puts a project's keys.
 *
 * Three results, never merged: "OK"; "No access" (OS refused the credential with 401/403, and says
 * why); "Could not check" (any other answer, a timeout or no answer: it says nothing about the key).
 */
import { formatIsoDate } from '../core/explain-failure';
import type { AccessOutcome, AccessReport } from '../core/monitoring';
import { OS_API_CATALOGUE } from '../core/os-api-classify';
import { statusText } from '../ui/monitoring-text';

export const OUTCOME_LABELS: Record<AccessOutcome, string> = {
  ok: 'OK',
  'no-access': 'No access',
  'could-not-check': 'Could not check',
};

// Reports remembered from before the three outcomes existed carry only `ok`.
const outcomeOf = (r: AccessReport['results'][number]): AccessOutcome =>
  r.outcome ?? (r.ok ? 'ok' : r.status === 401 || r.status === 403 ? 'no-access' : 'could-not-check');

const WITHDRAWN = OS_API_CATALOGUE.filter((a) => a.withdrawn);

export function AccessGrid({ report, projectName }: { report: AccessReport; projectName: string }) {
  const counts = { ok: 0, 'no-access': 0, 'could-not-check': 0 } as Record<AccessOutcome, number>;
  for (const r of report.results) counts[outcomeOf(r)]++;
  const summary = (Object.keys(OUTCOME_LABELS) as AccessOutcome[])
    .filter((o) => counts[o] > 0)
    .map((o) => `${counts[o]} ${OUTCOME_LABELS[o].toLowerCase()}`)
    .join(', ');
  return (
    <div class="access-grid">
      <div class="table-wrap">
        <table aria-label={`Access of ${projectName}`} aria-describedby={`access-summary-${report.projectId}`}>
          <thead>
            <tr>
              <th scope="col">OS API</th>
              <th scope="col">Result</th>
              <th scope="col">HTTP</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.results.map((r) => {
              const outcome = outcomeOf(r);
              return (
                <tr key={r.api} class={`access-${outcome}`}>
                  <th scope="row">{r.label}</th>
                  <td class="access-result">{OUTCOME_LABELS[outcome]}</td>
                  <td>{statusText(r.status)}</td>
                  <td>
                    {r.explanation ? (
                      <details>
                        <summary>{r.explanation.title}</summary>
                        <p>{r.explanation.detail}</p>
                        <p>What to do: {r.explanation.action}</p>
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p id={`access-summary-${report.projectId}`} class="hint">
        {`${summary}.`}
        {WITHDRAWN.map(
          (a) => ` ${a.label} is not checked: OS withdrew it on ${formatIsoDate(a.withdrawn ?? '')}.`,
        ).join('')}
      </p>
    </div>
  );
}
