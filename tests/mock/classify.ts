// Pure path classifier for api.os.uk. No Node imports on purpose: the extension's activity log
// is expected to reuse it, and the mock uses it to pick the project entitlement and the
// rate-limit bucket for a request.

/** The OS Data Hub APIs a project can be entitled to (one Data Hub "product" each). */
export type ApiName =
  | 'maps-raster'
  | 'vector-tiles'
  | 'ngd-features'
  | 'ngd-tiles'
  | 'features-wfs'
  | 'names'
  | 'places'
  | 'linked-ids'
  | 'downloads';

export const ALL_APIS: readonly ApiName[] = [
  'maps-raster',
  'vector-tiles',
  'ngd-features',
  'ngd-tiles',
  'features-wfs',
  'names',
  'places',
  'linked-ids',
  'downloads',
];

// Base paths from os-apis.md §1. Order matters only where one base is a prefix of another
// (`/maps/vector/ngd/...` must not fall into `/maps/vector/v1`; it does not, but keep the more
// specific bases first anyway).
const BASES: readonly (readonly [string, ApiName | 'oauth'])[] = [
  ['/oauth2/token/v1', 'oauth'],
  ['/maps/raster/v1', 'maps-raster'],
  ['/maps/vector/ngd/ota/v1', 'ngd-tiles'],
  ['/maps/vector/v1/vts', 'vector-tiles'],
  ['/features/ngd/ofa/v1', 'ngd-features'],
  ['/features/v1/wfs', 'features-wfs'],
  ['/search/names/v1', 'names'],
  ['/search/places/v1', 'places'],
  ['/search/links/v1', 'linked-ids'],
  ['/downloads/v1', 'downloads'],
];

/**
 * Which OS API a request path on api.os.uk belongs to, `'oauth'` for the token endpoint, or
 * `null` for anything else (including the withdrawn Match & Cleanse API). A query string, if
 * passed, is ignored. Matching is on whole path segments, so `/search/names/v1x` is `null`.
 */
export function classifyOsApiPath(path: string): ApiName | 'oauth' | null {
  const cut = path.search(/[?#]/);
  const p = cut === -1 ? path : path.slice(0, cut);
  for (const [base, api] of BASES) {
    if (p === base || p.startsWith(base + '/')) return api;
  }
  return null;
}
