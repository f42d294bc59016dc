// Which OS API a request path belongs to, for the mock's entitlement check and rate-limit
// buckets. It is the extension's own classifier (src/core/os-api-classify.ts): one list of OS API
// base paths serves both, so they cannot drift apart.
import { CURRENT_OS_APIS, classifyOsApiRequest, type OsApi } from '../../src/core/os-api-classify';

/** The OS Data Hub APIs a project can be entitled to (one Data Hub "product" each). */
export type ApiName = OsApi;

/**
 * What a mock project gets by default: every current API. OS Match & Cleanse API is never granted,
 * even if a test lists it: OS withdrew it on 31 March 2026 and removed it from every project
 * (docs/os-apis.md §0, §1.11).
 */
export const ALL_APIS: readonly ApiName[] = CURRENT_OS_APIS;

/**
 * Which OS API a request path on api.os.uk belongs to, `'oauth'` for the token endpoint, or
 * `null` for anything else. A query string, if
 * passed, is ignored. Matching is on whole path segments, so `/search/names/v1x` is `null`.
 */
export function classifyOsApiPath(path: string): ApiName | 'oauth' | null {
  return classifyOsApiRequest(path).api;
}
