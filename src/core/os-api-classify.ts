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
  | 'downloads'
  | 'os-net'
  | 'match-cleanse';

/** One OS API: the single list the classifier, usage meter, explanations and Check access read. */
export interface OsApiInfo {
  api: OsApi;
  /** The name the OS Data Hub shows. */
  label: string;
  /** Base path on api.os.uk. */
  base: string;
  /** Base paths of the same API on the 2020-era host `osdatahubapi.os.uk` (docs/os-apis.md §1.1, §0). */
  legacy: readonly string[];
  /** Where the base path is documented (public). */
  source: string;
  /** ISO date OS withdrew the API; requests to it fail for every key from then on. */
  withdrawn?: string;
}

/**
 * Every OS Data Hub API, in the order the UI lists them (docs/os-apis.md has the facts and sources).
 * Matching is on whole path segments, so order only matters if one base were a prefix of another.
 */
export const OS_API_CATALOGUE: readonly OsApiInfo[] = [
  {
    api: 'maps-raster',
    label: 'OS Maps API',
    base: '/maps/raster/v1',
    // /omse/wmts: the Public Sector (PSGA) WMTS on the old host, in OS's demo history.
    legacy: ['/OSMapsAPI/wmts/v1', '/omse/wmts'],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-maps-api/technical-specification',
  },
  {
    api: 'vector-tiles',
    label: 'OS Vector Tile API',
    base: '/maps/vector/v1/vts',
    // /omse/vts: seen in OrdnanceSurvey/OS-Data-Hub-API-Demos history.
    legacy: ['/OSVectorTileAPI/vts/v1', '/omse/vts'],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-vector-tile-api/technical-specification',
  },
  {
    api: 'ngd-features',
    label: 'OS NGD API – Features',
    base: '/features/ngd/ofa/v1',
    legacy: [],
    source:
      'https://docs.os.uk/osngd/accessing-os-ngd/access-the-os-ngd-api/os-ngd-api-features/technical-specification',
  },
  {
    api: 'ngd-tiles',
    label: 'OS NGD API – Tiles',
    base: '/maps/vector/ngd/ota/v1',
    legacy: [],
    source: 'https://docs.os.uk/osngd/accessing-os-ngd/access-the-os-ngd-api/os-ngd-api-tiles/technical-specification',
  },
  {
    api: 'features-wfs',
    label: 'OS Features API',
    base: '/features/v1/wfs',
    // /omse/wfs: seen in OrdnanceSurvey/OS-Data-Hub-API-Demos history.
    legacy: ['/OSFeaturesAPI/wfs/v1', '/omse/wfs'],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-features-api/technical-specification',
  },
  {
    api: 'names',
    label: 'OS Names API',
    base: '/search/names/v1',
    legacy: [],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-names-api/technical-specification',
  },
  {
    api: 'places',
    label: 'OS Places API',
    base: '/search/places/v1',
    legacy: [],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-places-api/technical-specification',
  },
  {
    api: 'linked-ids',
    label: 'OS Linked Identifiers API',
    base: '/search/links/v1',
    // /OSLIDSAPI/v1: seen in OrdnanceSurvey/OS-Data-Hub-API-Demos history.
    legacy: ['/OSLIDSAPI/v1'],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-linked-identifiers-api/technical-specification',
  },
  {
    api: 'downloads',
    label: 'OS Downloads API',
    base: '/downloads/v1',
    legacy: ['/downloads/v1'],
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-downloads-api/technical-specification',
  },
  {
    api: 'os-net',
    label: 'OS Net API',
    base: '/positioning/osnet/v1',
    legacy: [],
    // Added to the Data Hub on 12 June 2025 (OS docs change log); base path from OS's OpenAPI file.
    source:
      'https://raw.githubusercontent.com/api-evangelist/ordnance-survey/refs/heads/main/openapi/ordnance-survey-osnet-openapi.yaml',
  },
  {
    api: 'match-cleanse',
    label: 'OS Match & Cleanse API',
    base: '/search/match/v1',
    legacy: [],
    // End of life 31 March 2026, removed from every project (banner on this page, OS docs change log).
    source: 'https://docs.os.uk/os-apis/accessing-os-apis/os-match-and-cleanse-api/technical-specification',
    withdrawn: '2026-03-31',
  },
];

/** Every API the classifier knows, in catalogue order (usage is counted for each). */
export const OS_APIS: readonly OsApi[] = OS_API_CATALOGUE.map((a) => a.api);

/** The APIs a project can still have: what Check access probes and what the mock grants by default. */
export const CURRENT_OS_APIS: readonly OsApi[] = OS_API_CATALOGUE.filter((a) => !a.withdrawn).map((a) => a.api);

/** When OS withdrew an API, or undefined for a current one. */
export function withdrawnOn(api: OsApi | 'oauth' | null): string | undefined {
  return OS_API_CATALOGUE.find((a) => a.api === api)?.withdrawn;
}

/** Names as the OS Data Hub shows them, for tables, charts and explanations. */
export const OS_API_LABELS: Record<OsApi | 'oauth', string> = {
  ...(Object.fromEntries(OS_API_CATALOGUE.map((a) => [a.api, a.label])) as Record<OsApi, string>),
  oauth: 'OAuth 2 token endpoint',
};

/** Label for a request that is not to a known OS API (other host, unknown path). */
export const OTHER_LABEL = 'Other request';

const LEGACY_HOST = 'osdatahubapi.os.uk';
const TOKEN_PATH = '/oauth2/token/v1';

const BASES: readonly (readonly [string, OsApi | 'oauth'])[] = [
  [TOKEN_PATH, 'oauth'],
  ...OS_API_CATALOGUE.map((a) => [a.base, a.api] as const),
];

// The 2020-era host used other paths (§1.1); its token path matches the current one.
const LEGACY_BASES: readonly (readonly [string, OsApi | 'oauth'])[] = [
  [TOKEN_PATH, 'oauth'],
  ...OS_API_CATALOGUE.flatMap((a) => a.legacy.map((base) => [base, a.api] as const)),
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
 * and unknown paths. Query string and fragment are ignored.
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
 * Premium zoom levels (docs/os-apis.md §0, §1.3, §1.5). OS Maps API: EPSG:3857 zoom 17–20 (OS
 * docs); EPSG:27700 Road, Outdoor and Light from zoom 10 and Leisure above zoom 5 (third-party,
 * probins/map-make). OS NGD API – Tiles: 3857 zoom 16–19 and 27700 zoom 12–15 (third-party).
 */
function mapsPremium(layer: string, zoom: number): boolean {
  // OS's own demos write layer names with a space (`Light 3857`) as well as an underscore.
  const m = /^(road|outdoor|light|leisure)[ _](3857|27700)$/i.exec(layer.trim());
  if (!m) return false;
  const style = (m[1] ?? '').toLowerCase();
  if (m[2] === '3857') return zoom >= 17;
  return style === 'leisure' ? zoom > 5 : zoom >= 10;
}

function ngdTilesPremium(tms: string, zoom: number): boolean {
  return tms === '3857' ? zoom >= 16 : tms === '27700' ? zoom >= 12 : false;
}

/**
 * Whether a request is *probably* for Premium data, which an OpenData-only project cannot use.
 * Used only to say "may be Premium" in explanations, never to block anything.
 */
export function mayBePremium(url: string): boolean {
  const parsed = typeof url === 'string' ? parse(url) : null;
  if (!parsed) return false;
  const api = classifyOsApiRequest(parsed.href).api;
  if (api === 'ngd-tiles') {
    const tile = /\/tiles\/(3857|27700)\/(\d+)\/\d+\/\d+\/?$/.exec(parsed.pathname);
    return tile ? ngdTilesPremium(tile[1] ?? '', Number(tile[2])) : false;
  }
  if (api !== 'maps-raster') return false;
  let path = parsed.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Malformed escapes: match the raw path.
  }
  const zxy = /\/zxy\/([^/]+)\/(\d+)\//.exec(path);
  if (zxy) return mapsPremium(zxy[1] ?? '', Number(zxy[2]));
  // WMTS: parameter names are case-insensitive in OGC KVP; tileMatrix may be "EPSG:3857:17".
  let layer = '';
  let matrix = '';
  for (const [name, value] of parsed.searchParams) {
    const n = name.toLowerCase();
    if (n === 'layer') layer = value;
    else if (n === 'tilematrix') matrix = value;
  }
  const zoom = /(\d+)$/.exec(matrix);
  return zoom ? mapsPremium(layer, Number(zoom[1])) : false;
}
