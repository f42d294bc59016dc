// Forced answers: tests make api.os.uk fail on demand (401, 403, 429, 5xx…) for chosen paths, so
// e2e tests can show how the extension explains failures without real bad keys or 600 requests.
import type { ApiName } from './classify';
import { apiError, fault, FAULTS, json, type Reply } from './reply';

export interface ForcedStatus {
  /** Matches api.os.uk request paths (query excluded) that start with this, e.g. '/search/names/v1'. */
  pathPrefix: string;
  status: number;
  /** How many matching requests get it; then the rule is dropped. Default: until cleared. */
  times?: number;
}

/**
 * The body OS would send with `status`. 401 and 429 are the gateway faults the mock already uses
 * (unknown key; rate limit). For 403 OS's body is unverified (os-apis.md §3.1 only says
 * "authenticated but lacking rights"); §3.2 says gateway errors are Apigee faults, so it is the one
 * stock Apigee fault that is a 403, the AccessControl policy's `accesscontrol.IPDeniedAccess`.
 * Other statuses get the API's own backend error shape. Downloads answers gateway errors with
 * `{message}`, its documented schema, as the auth gate does.
 */
function forcedBody(api: ApiName | null, status: number, path: string): Reply {
  let gateway: Reply | null = null;
  if (status === 401) gateway = FAULTS.invalidKey();
  else if (status === 429) gateway = FAULTS.rateLimited();
  else if (status === 403)
    gateway = fault(403, 'Access Denied for client ip : 127.0.0.1', 'accesscontrol.IPDeniedAccess');
  if (!gateway) return apiError(api, status, `Injected failure (HTTP ${status})`, path);
  if (api !== 'downloads') return gateway;
  const parsed = JSON.parse(String(gateway.body)) as { fault: { faultstring: string } };
  return json(status, { message: parsed.fault.faultstring });
}

/** The forced-answer rules of one mock; the first matching rule answers. */
export class ForcedAnswers {
  private rules: { pathPrefix: string; status: number; left: number }[] = [];

  set(rules: ForcedStatus | readonly ForcedStatus[] | null): void {
    const list: readonly ForcedStatus[] = rules === null ? [] : 'pathPrefix' in rules ? [rules] : rules;
    this.rules = list
      .map((r) => ({ pathPrefix: r.pathPrefix, status: r.status, left: r.times ?? Infinity }))
      .filter((r) => r.left > 0);
  }

  /** The forced reply for this request, if a rule matches (and uses up one of its `times`). */
  take(api: ApiName | null, path: string): Reply | null {
    const i = this.rules.findIndex((r) => path.startsWith(r.pathPrefix));
    const rule = this.rules[i];
    if (!rule) return null;
    if (--rule.left <= 0) this.rules.splice(i, 1);
    const reply = forcedBody(api, rule.status, path);
    // Always readable cross-origin (even with corsOnErrors: false): the point is for pages to see it.
    return { ...reply, headers: { ...reply.headers, 'Access-Control-Allow-Origin': '*' } };
  }
}
