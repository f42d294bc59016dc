/**
 * The activity log sees only a request's status (browsers give extensions no response bodies), so a
 * 401 could be a wrong key or an API missing from the project. The project's last Check access read
 * OS's error body for each API; when it found this API refused for the same key, say that instead.
 */
import type { FailureExplanation } from './explain-failure';
import type { AccessReport } from './monitoring';
import type { OsApi } from './os-api-classify';

/** A Check access report, with the key it was made for (its `keyChangedAt`), so a new key makes it stale. */
export interface RememberedAccess {
  report: AccessReport;
  keyChangedAt: number;
}

export function explainWithAccess(
  base: FailureExplanation | null,
  request: { status: number; api: OsApi | 'oauth' | null },
  access: RememberedAccess | undefined,
  keyChangedAt: number | undefined,
): FailureExplanation | null {
  if (!base || !access || access.keyChangedAt !== keyChangedAt) return base;
  if ((request.status !== 401 && request.status !== 403) || !request.api || request.api === 'oauth') return base;
  const found = access.report.results.find((r) => r.api === request.api);
  // Only a refusal (401/403) is about the key; "could not check" results explain nothing here.
  if (!found || (found.status !== 401 && found.status !== 403) || !found.explanation) return base;
  return { ...found.explanation, detail: `${found.explanation.detail} (Check access found this for the same key.)` };
}
