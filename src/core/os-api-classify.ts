/**
 * Which OS Data Hub API a request belongs to (os-apis.md §1), and URL redaction for anything that
 * is shown or stored. Pure and total: arbitrary input never throws.
 *
 * The local OS API mock classifies with it too (tests/mock/classify.ts). Beyond a prefix match of
 * the path, it takes a full URL as well as a path and rejects other hosts, it resolves `..`/`.`
 * segments the way the server would (so `/maps/raster/v1/../../../search/places/v1/find` counts as
 * Places), and it knows the legacy `osdatahubapi.os.uk` paths (§1.1) so old code still shows up
 * with a name.
 */
import { OS_API_HOST } from './os-api';

/** The OS Data Hub APIs a project can be entitled to, each rate-limited on its own (§4). */
export type OsApi =
  | 'maps-raster'
  | 'vector-tiles'
  | 'ngd-features'
  | 'ngd-tiles'
  | 'features-wfs'
  | 'names'
  | 'places'
  | 'linked-ids'
  | 'downloads';

export const OS_APIS: readonly OsApi[] = [
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

/** Names as the OS Data Hub shows them, for tables, charts and explanations. */
export const OS_API_LABELS: Record<OsApi | 'oauth', string> = {
  'maps-raster': 'OS Maps API',
  'vector-tiles': 'OS Vector Tile API',
  'ngd-features': 'OS NGD API – Features',
  'ngd-tiles': 'OS NGD API – Tiles',
  'features-wfs': 'OS Features API',
  names: 'OS Names API',
  places: 'OS Places API',
  'linked-ids': 'OS Linked Identifiers API',
  downloads: 'OS Downloads API',
  oauth: 'OAuth 2 token endpoint',
};

/** Label for a request that is not to a known OS API (other host, unknown path, Match & Cleanse). */
export const OTHER_LABEL = 'Other request';

const LEGACY_HOST = 'osdatahubapi.os.uk';

// Base paths on api.os.uk (§1.3–§1.12). Matching is on whole segments, so order only matters if
// one base were a prefix of another; the more specific ones come first anyway.
const BASES: readonly (readonly [string, OsApi | 'oauth'])[] = [
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

// The 2020-era host used other paths (§1.1); its token and downloads paths match the current ones.
const LEGACY_BASES: readonly (readonly [string, OsApi | 'oauth'])[] = [
  ['/oauth2/token/v1', 'oauth'],
  ['/OSMapsAPI/wmts/v1', 'maps-raster'],
  ['/omse/wmts', 'maps-raster'],
  ['/OSFeaturesAPI/wfs/v1', 'features-wfs'],
  ['/OSVectorTileAPI/vts/v1', 'vector-tiles'],
  ['/downloads/v1', 'downloads'],
];

function matchBase(path: string, bases: readonly (readonly [string, OsApi | 'oauth'])[]): OsApi | 'oauth' | null {
  for (const [base, api] of bases) {
    if (path === base || path.startsWith(base + '/')) return api;
  }
  return null;
}

/** Parse an absolute URL, or a path taken as relative to api.os.uk; null if it cannot be parsed. */
function parse(url: string): URL | null {
  try {
    return new URL(url, `https://${OS_API_HOST}/`);
  } catch {
    return null;
  }
}

/**
 * Classify a request to the OS API host. `url` may be absolute (`https://api.os.uk/...`) or a bare
 * path (`/maps/raster/v1/...`). Returns `api: null` with {@link OTHER_LABEL} for other hosts,
 * unknown paths and the withdrawn Match & Cleanse API. Query string and fragment are ignored.
 */
export function classifyOsApiRequest(url: string): { api: OsApi | 'oauth' | null; label: string } {
  const parsed = typeof url === 'string' ? parse(url) : null;
  let api: OsApi | 'oauth' | null = null;
  if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:')) {
    if (parsed.hostname === OS_API_HOST) api = matchBase(parsed.pathname, BASES);
    else if (parsed.hostname === LEGACY_HOST) api = matchBase(parsed.pathname, LEGACY_BASES);
  }
  return { api, label: api === null ? OTHER_LABEL : OS_API_LABELS[api] };
}

/** What replaces a key's value in anything shown or stored. */
export const REDACTED = '…redacted…';

/** True if a query parameter name means the OS key, however it was written (`key`, `KEY`, `k%65y`). */
function isKeyName(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // Malformed percent-encoding: compare the raw text, which is still safe (only redacts more).
  }
  return name.trim().toLowerCase() === 'key';
}

/** Redact `key` parameters in one `a=1&b=2` section (a query or a fragment). */
function redactParams(section: string): string {
  return section
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      // An empty `key=` carries no secret and is worth seeing (it explains a "missing key" 401).
      if (eq === -1 || eq === pair.length - 1 || !isKeyName(name)) return pair;
      return `${name}=${REDACTED}`;
    })
    .join('&');
}

/**
 * The URL (or path) with every `key` query value replaced by {@link REDACTED}, the same done in
 * the fragment (SPA routers put query-like text there), and any `user:password@` removed. Works
 * on the raw text rather than re-serialising through `URL`, so everything else is shown exactly as
 * requested; never throws (non-strings give '').
 */
export function redactUrl(url: string): string {
  if (typeof url !== 'string') return '';
  // Credentials in the authority are as secret as a key.
  const text = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  const hash = text.indexOf('#');
  const beforeHash = hash === -1 ? text : text.slice(0, hash);
  const fragment = hash === -1 ? null : text.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  const head = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const query = q === -1 ? null : beforeHash.slice(q + 1);
  return (
    head + (query === null ? '' : '?' + redactParams(query)) + (fragment === null ? '' : '#' + redactParams(fragment))
  );
}

/**
 * Whether a request is *probably* for Premium data, which an OpenData-only project cannot use:
 * OS Maps API at EPSG:3857 zoom 17–20 (verified, §1.3) or Leisure_27700 above zoom 5 (third-party,
 * unverified). Used only to say "may be Premium" in explanations, never to block anything.
 */
export function mayBePremium(url: string): boolean {
  const parsed = typeof url === 'string' ? parse(url) : null;
  if (!parsed || classifyOsApiRequest(parsed.href).api !== 'maps-raster') return false;
  const premiumZoom = (layer: string, zoom: number): boolean =>
    (/_3857$/i.test(layer) && zoom >= 17) || (/^Leisure_27700$/i.test(layer) && zoom > 5);
  const zxy = /\/zxy\/([^/]+)\/(\d+)\//.exec(parsed.pathname);
  if (zxy) return premiumZoom(zxy[1] ?? '', Number(zxy[2]));
  // WMTS: parameter names are case-insensitive in OGC KVP; tileMatrix may be "EPSG:3857:17".
  let layer = '';
  let matrix = '';
  for (const [name, value] of parsed.searchParams) {
    const n = name.toLowerCase();
    if (n === 'layer') layer = value;
    else if (n === 'tilematrix') matrix = value;
  }
  const zoom = /(\d+)$/.exec(matrix);
  return zoom ? premiumZoom(layer, Number(zoom[1])) : false;
}
