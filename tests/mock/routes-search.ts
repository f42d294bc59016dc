// OS Names, OS Places and OS Linked Identifiers (os-apis.md §1.8-1.10) over tiny fixed
// gazetteers. Coordinates are British National Grid (EPSG:27700) metres.
import { apiError, json, type Reply } from './reply';
import { API_ORIGIN, int, type Route, type RouteCtx } from './routing';

// ---- shared parameter checks -----------------------------------------------------------------

type Page = { maxresults: number; offset: number };
type Api = 'names' | 'places';

function page(ctx: RouteCtx, api: Api): Page | Reply {
  const max = int(ctx.query.get('maxresults') ?? '100');
  const offset = int(ctx.query.get('offset') ?? '0');
  if (max === null || max < 1 || max > 100)
    return apiError(api, 400, 'Requested maxresults must be an integer between 1 and 100.');
  if (offset === null) return apiError(api, 400, 'Requested offset must be a non-negative integer.');
  return { maxresults: max, offset };
}

function point(ctx: RouteCtx, api: Api): [number, number] | Reply {
  const raw = ctx.query.get('point');
  const parts = (raw ?? '').split(',').map(Number);
  if (raw === null) return apiError(api, 400, 'Requested point parameter is missing.');
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n)))
    return apiError(api, 400, `Requested point must be "x,y". Requested point was ${raw}`);
  return [parts[0] ?? 0, parts[1] ?? 0];
}

function radius(ctx: RouteCtx, api: Api, fallback: number | null): number | Reply {
  const raw = ctx.query.get('radius');
  const r = raw === null ? fallback : Number(raw);
  if (r === null) return apiError(api, 400, 'Requested radius parameter is missing.');
  if (!Number.isFinite(r) || r < 0.01 || r > 1000)
    return apiError(api, 400, 'Requested radius must be between 0.01 and 1000 metres.');
  return r;
}

const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && 'status' in v;
const dist = (a: readonly [number, number], x: number, y: number) => Math.hypot(a[0] - x, a[1] - y);
// The request as echoed in `header.uri`/`header.query`, minus any `key` (whether OS echoes it is
// unverified; leaving it out keeps "the key went nowhere else" assertions simple).
const keyless = (ctx: RouteCtx) => {
  const q = new URLSearchParams(ctx.query);
  q.delete('key');
  return q;
};
const uri = (ctx: RouteCtx) => `${API_ORIGIN}${ctx.path}${keyless(ctx).size ? `?${keyless(ctx)}` : ''}`;

// ---- Names -----------------------------------------------------------------------------------

interface NamesEntry {
  ID: string;
  NAME1: string;
  TYPE: string;
  LOCAL_TYPE: string;
  GEOMETRY_X: number;
  GEOMETRY_Y: number;
  POSTCODE_DISTRICT: string;
  COUNTY_UNITARY: string;
  REGION: string;
  COUNTRY: string;
}
const NAMES: NamesEntry[] = [
  {
    ID: 'osgb4000000074813508',
    NAME1: 'Southampton',
    TYPE: 'populatedPlace',
    LOCAL_TYPE: 'City',
    GEOMETRY_X: 442405,
    GEOMETRY_Y: 112143,
    POSTCODE_DISTRICT: 'SO14',
    COUNTY_UNITARY: 'Southampton',
    REGION: 'South East',
    COUNTRY: 'England',
  },
  {
    ID: 'osgb4000000074573364',
    NAME1: 'Nursling',
    TYPE: 'populatedPlace',
    LOCAL_TYPE: 'Village',
    GEOMETRY_X: 436870,
    GEOMETRY_Y: 116200,
    POSTCODE_DISTRICT: 'SO16',
    COUNTY_UNITARY: 'Hampshire',
    REGION: 'South East',
    COUNTRY: 'England',
  },
  {
    ID: 'osgb4000000074525611',
    NAME1: 'Adanac Drive',
    TYPE: 'transportNetwork',
    LOCAL_TYPE: 'Named Road',
    GEOMETRY_X: 437291,
    GEOMETRY_Y: 115531,
    POSTCODE_DISTRICT: 'SO16',
    COUNTY_UNITARY: 'Hampshire',
    REGION: 'South East',
    COUNTRY: 'England',
  },
  {
    ID: 'osgb4000000074564417',
    NAME1: 'Salisbury',
    TYPE: 'populatedPlace',
    LOCAL_TYPE: 'City',
    GEOMETRY_X: 414600,
    GEOMETRY_Y: 130000,
    POSTCODE_DISTRICT: 'SP1',
    COUNTY_UNITARY: 'Wiltshire',
    REGION: 'South West',
    COUNTRY: 'England',
  },
];

// Each result is wrapped in GAZETTEER_ENTRY (the docs schema omits the wrapper; OS code shows it).
// `results` is omitted when empty, as Places does (inferred for Names).
function namesReply(ctx: RouteCtx, header: Record<string, unknown>, found: NamesEntry[], pg: Page): Reply {
  const slice = found.slice(pg.offset, pg.offset + pg.maxresults);
  const body: Record<string, unknown> = {
    header: {
      uri: uri(ctx),
      ...header,
      format: 'JSON',
      maxresults: pg.maxresults,
      offset: pg.offset,
      totalresults: found.length,
    },
  };
  if (slice.length)
    body['results'] = slice.map((e) => ({
      GAZETTEER_ENTRY: { ...e, NAMES_URI: `http://data.ordnancesurvey.co.uk/id/${e.ID}` },
    }));
  return json(200, body);
}

function namesFind(ctx: RouteCtx): Reply {
  const query = ctx.query.get('query');
  if (!query) return apiError('names', 400, 'Requested query parameter is missing.');
  const pg = page(ctx, 'names');
  if (isReply(pg)) return pg;
  const q = query.toLowerCase();
  return namesReply(
    ctx,
    { query },
    NAMES.filter((e) => e.NAME1.toLowerCase().includes(q)),
    pg,
  );
}

function namesNearest(ctx: RouteCtx): Reply {
  const pt = point(ctx, 'names');
  if (isReply(pt)) return pt;
  const r = radius(ctx, 'names', 100);
  if (isReply(r)) return r;
  const near = NAMES.filter((e) => dist(pt, e.GEOMETRY_X, e.GEOMETRY_Y) <= r).sort(
    (a, b) => dist(pt, a.GEOMETRY_X, a.GEOMETRY_Y) - dist(pt, b.GEOMETRY_X, b.GEOMETRY_Y),
  );
  return namesReply(ctx, { point: ctx.query.get('point') }, near.slice(0, 1), { maxresults: 1, offset: 0 });
}

// ---- Places ----------------------------------------------------------------------------------

interface Dpa {
  UPRN: string;
  UDPRN: string;
  ADDRESS: string;
  BUILDING_NUMBER: string;
  THOROUGHFARE_NAME: string;
  POST_TOWN: string;
  POSTCODE: string;
  X_COORDINATE: number;
  Y_COORDINATE: number;
  STATUS: 'APPROVED';
  CLASSIFICATION_CODE: string;
  LOCAL_CUSTODIAN_CODE_DESCRIPTION: string;
  COUNTRY_CODE: 'E';
  LANGUAGE: 'EN';
}
const base = { STATUS: 'APPROVED', COUNTRY_CODE: 'E', LANGUAGE: 'EN' } as const;
const PLACES: Dpa[] = [
  {
    ...base,
    UPRN: '200010019924',
    UDPRN: '52126563',
    ADDRESS: 'ORDNANCE SURVEY, 4, ADANAC DRIVE, NURSLING, SOUTHAMPTON, SO16 0AS',
    BUILDING_NUMBER: '4',
    THOROUGHFARE_NAME: 'ADANAC DRIVE',
    POST_TOWN: 'SOUTHAMPTON',
    POSTCODE: 'SO16 0AS',
    X_COORDINATE: 437292.43,
    Y_COORDINATE: 115541.95,
    CLASSIFICATION_CODE: 'CO01GV',
    LOCAL_CUSTODIAN_CODE_DESCRIPTION: 'TEST VALLEY',
  },
  {
    ...base,
    UPRN: '100000000002',
    UDPRN: '90000002',
    ADDRESS: '6, ADANAC DRIVE, NURSLING, SOUTHAMPTON, SO16 0AS',
    BUILDING_NUMBER: '6',
    THOROUGHFARE_NAME: 'ADANAC DRIVE',
    POST_TOWN: 'SOUTHAMPTON',
    POSTCODE: 'SO16 0AS',
    X_COORDINATE: 437350,
    Y_COORDINATE: 115600,
    CLASSIFICATION_CODE: 'CO01',
    LOCAL_CUSTODIAN_CODE_DESCRIPTION: 'TEST VALLEY',
  },
  {
    ...base,
    UPRN: '100000000003',
    UDPRN: '90000003',
    ADDRESS: '10, HIGH STREET, SALISBURY, SP1 2AA',
    BUILDING_NUMBER: '10',
    THOROUGHFARE_NAME: 'HIGH STREET',
    POST_TOWN: 'SALISBURY',
    POSTCODE: 'SP1 2AA',
    X_COORDINATE: 414500,
    Y_COORDINATE: 129900,
    CLASSIFICATION_CODE: 'RD04',
    LOCAL_CUSTODIAN_CODE_DESCRIPTION: 'WILTSHIRE',
  },
];

function placesReply(ctx: RouteCtx, found: Dpa[], extraHeader: Record<string, unknown> = {}): Reply {
  const pg = page(ctx, 'places');
  if (isReply(pg)) return pg;
  const slice = found.slice(pg.offset, pg.offset + pg.maxresults);
  const body: Record<string, unknown> = {
    header: {
      uri: uri(ctx),
      query: String(keyless(ctx)),
      offset: pg.offset,
      totalresults: found.length,
      format: 'JSON',
      dataset: ctx.query.get('dataset') ?? 'DPA',
      lr: ctx.query.get('lr') ?? 'EN,CY',
      maxresults: pg.maxresults,
      ...extraHeader,
      epoch: '117',
      lastupdate: '2026-01-15',
      output_srs: ctx.query.get('output_srs') ?? 'EPSG:27700',
    },
  };
  // No matches → header only, `results` absent (not an empty array).
  if (slice.length) body['results'] = slice.map((d) => ({ DPA: { ...d, MATCH: 1, MATCH_DESCRIPTION: 'EXACT' } }));
  return json(200, body);
}

function placesFind(ctx: RouteCtx): Reply {
  const query = ctx.query.get('query');
  if (!query) return apiError('places', 400, 'Requested query parameter is missing.');
  const words = query
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  return placesReply(
    ctx,
    PLACES.filter((d) => words.every((w) => d.ADDRESS.includes(w))),
    { matchprecision: 1 },
  );
}

function placesPostcode(ctx: RouteCtx): Reply {
  const raw = ctx.query.get('postcode') ?? '';
  const pc = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d/.test(pc)) {
    return apiError(
      'places',
      400,
      `Requested postcode must contain a minimum of the sector plus 1 digit of the district e.g. SO1. Requested postcode was ${raw}`,
    );
  }
  return placesReply(
    ctx,
    PLACES.filter((d) => d.POSTCODE.replace(/\s+/g, '').startsWith(pc)),
  );
}

function placesUprn(ctx: RouteCtx): Reply {
  const uprn = ctx.query.get('uprn') ?? '';
  if (!/^\d{1,12}$/.test(uprn))
    return apiError(
      'places',
      400,
      `Requested UPRN must only contain numbers and be at most 12 digits long. Requested UPRN was ${uprn}`,
    );
  return placesReply(
    ctx,
    PLACES.filter((d) => d.UPRN === uprn),
  );
}

const byDistance = (pt: readonly [number, number]) => (a: Dpa, b: Dpa) =>
  dist(pt, a.X_COORDINATE, a.Y_COORDINATE) - dist(pt, b.X_COORDINATE, b.Y_COORDINATE);

function placesNearest(ctx: RouteCtx): Reply {
  const pt = point(ctx, 'places');
  if (isReply(pt)) return pt;
  const r = radius(ctx, 'places', 1000); // OS documents no radius here; 1 km keeps 'nearest' local
  if (isReply(r)) return r;
  const near = PLACES.filter((d) => dist(pt, d.X_COORDINATE, d.Y_COORDINATE) <= r).sort(byDistance(pt));
  return placesReply(ctx, near.slice(0, 1));
}

function placesRadius(ctx: RouteCtx): Reply {
  const pt = point(ctx, 'places');
  if (isReply(pt)) return pt;
  const r = radius(ctx, 'places', null);
  if (isReply(r)) return r;
  return placesReply(ctx, PLACES.filter((d) => dist(pt, d.X_COORDINATE, d.Y_COORDINATE) <= r).sort(byDistance(pt)));
}

function inBox(box: readonly number[]): (d: Dpa) => boolean {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = box;
  return (d) => d.X_COORDINATE >= x0 && d.X_COORDINATE <= x1 && d.Y_COORDINATE >= y0 && d.Y_COORDINATE <= y1;
}

function placesBbox(ctx: RouteCtx): Reply {
  const raw = ctx.query.get('bbox') ?? '';
  const box = raw.split(',').map(Number);
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = box;
  if (box.length !== 4 || box.some((n) => !Number.isFinite(n)) || x0 >= x1 || y0 >= y1) {
    return apiError('places', 400, `Requested bbox must be "minx,miny,maxx,maxy". Requested bbox was ${raw}`);
  }
  if ((x1 - x0) * (y1 - y0) > 1_000_000)
    return apiError('places', 400, 'Requested bbox must not exceed an area of 1km2.');
  return placesReply(ctx, PLACES.filter(inBox(box)));
}

function placesPolygon(ctx: RouteCtx): Reply {
  let geom: { type?: string; coordinates?: unknown; geometry?: { type?: string; coordinates?: unknown } };
  try {
    geom = JSON.parse(ctx.body) as typeof geom;
  } catch {
    return apiError('places', 400, 'Request body must be a GeoJSON Polygon or MultiPolygon.');
  }
  const g = geom.geometry ?? geom;
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon')
    return apiError('places', 400, 'Request body must be a GeoJSON Polygon or MultiPolygon.');
  // The mock tests against the polygon's bounding box; exact point-in-polygon is not needed for
  // credential tests and keeps this small.
  const nums =
    JSON.stringify(g.coordinates ?? [])
      .match(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi)
      ?.map(Number) ?? [];
  const xs = nums.filter((_, i) => i % 2 === 0);
  const ys = nums.filter((_, i) => i % 2 === 1);
  if (!xs.length) return apiError('places', 400, 'Polygon has no coordinates.');
  return placesReply(ctx, PLACES.filter(inBox([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)])));
}

// ---- Linked Identifiers ----------------------------------------------------------------------

interface Link {
  identifier: string;
  identifierType: string;
  featureType: string;
  links: { type: string; feature: string; id: string; method: string }[];
}
const LINKS: Link[] = [
  {
    identifier: '200010019924',
    identifierType: 'UPRN',
    featureType: 'BLPU',
    links: [
      {
        type: 'TOID',
        feature: 'TopographicArea',
        id: 'osgb1000002489201973',
        method: 'BLPU_UPRN_TopographicArea_TOID_5',
      },
    ],
  },
  {
    identifier: 'osgb1000002489201973',
    identifierType: 'TOID',
    featureType: 'TopographicArea',
    links: [{ type: 'UPRN', feature: 'BLPU', id: '200010019924', method: 'BLPU_UPRN_TopographicArea_TOID_5' }],
  },
];

function linked(ctx: RouteCtx, filter: (l: Link) => boolean): Reply {
  const l = LINKS.find(filter);
  if (!l) return apiError('linked-ids', 404, 'No linked identifiers found for the requested identifier.');
  return json(200, {
    linkedIdentifier: { identifier: l.identifier, identifierType: l.identifierType, featureType: l.featureType },
    correlations: l.links.map((c) => ({
      correlatedFeatureType: c.feature,
      correlatedIdentifierType: c.type,
      correlationMethodIdentifier: c.method,
      correlatedIdentifiers: [{ identifier: c.id, versionNumber: 1, confidence: 'Not yet assigned' }],
    })),
  });
}

const GET = ['GET'] as const;
const S = '^/search';
export const SEARCH_ROUTES: Route[] = [
  { api: 'names', methods: GET, pattern: new RegExp(`${S}/names/v1/find$`), handle: namesFind },
  { api: 'names', methods: GET, pattern: new RegExp(`${S}/names/v1/nearest$`), handle: namesNearest },
  { api: 'places', methods: GET, pattern: new RegExp(`${S}/places/v1/find$`), handle: placesFind },
  { api: 'places', methods: GET, pattern: new RegExp(`${S}/places/v1/postcode$`), handle: placesPostcode },
  { api: 'places', methods: GET, pattern: new RegExp(`${S}/places/v1/uprn$`), handle: placesUprn },
  { api: 'places', methods: GET, pattern: new RegExp(`${S}/places/v1/nearest$`), handle: placesNearest },
  { api: 'places', methods: GET, pattern: new RegExp(`${S}/places/v1/bbox$`), handle: placesBbox },
  { api: 'places', methods: GET, pattern: new RegExp(`${S}/places/v1/radius$`), handle: placesRadius },
  { api: 'places', methods: ['POST'], pattern: new RegExp(`${S}/places/v1/polygon$`), handle: placesPolygon },
  {
    api: 'linked-ids',
    methods: GET,
    pattern: new RegExp(`${S}/links/v1/identifiers/([^/]+)$`),
    handle: (c) => linked(c, (l) => l.identifier === c.params[0]),
  },
  {
    api: 'linked-ids',
    methods: GET,
    pattern: new RegExp(`${S}/links/v1/identifierTypes/([^/]+)/([^/]+)$`),
    handle: (c) => linked(c, (l) => l.identifierType === c.params[0] && l.identifier === c.params[1]),
  },
  {
    api: 'linked-ids',
    methods: GET,
    pattern: new RegExp(`${S}/links/v1/featureTypes/([^/]+)/([^/]+)$`),
    handle: (c) => linked(c, (l) => l.featureType === c.params[0] && l.identifier === c.params[1]),
  },
  // OS Match & Cleanse API was withdrawn on 31 March 2026 and removed from every project
  // (docs/os-apis.md §0, §1.11), so the gateway refuses every request before this handler: a known
  // key gets 401 `InvalidApiKeyForGivenResource` (OS's exact answer is unverified; this is the
  // one that would wrongly blame the key if the extension did not know the API was withdrawn).
  {
    api: 'match-cleanse',
    methods: GET,
    pattern: new RegExp(`${S}/match/v1/match$`),
    handle: () => apiError('match-cleanse', 410, 'OS Match & Cleanse API was withdrawn on 31 March 2026.'),
  },
  {
    api: 'linked-ids',
    methods: GET,
    pattern: new RegExp(`${S}/links/v1/productVersionInfo/([^/]+)$`),
    handle: (c) =>
      json(200, {
        correlationMethodIdentifier: c.params[0],
        sourceProduct: 'AddressBase Premium',
        targetProduct: 'OS MasterMap Topography Layer',
        productVersion: '2026-01',
      }),
  },
];
