// OS NGD API – Features (OGC API Features), OS NGD API – Tiles (a sliver) and the OS Features
// API (WFS) (os-apis.md §1.5-1.7). Features are synthetic and generated on demand.
import { apiError, FAULTS, json, ogcException, xml, type Reply } from './reply';
import { API_ORIGIN, int, kvp, type Route, type RouteCtx } from './routing';

// ---- NGD Features ----------------------------------------------------------------------------

const NGD = `${API_ORIGIN}/features/ngd/ofa/v1`;
/**
 * Collection ids end in a version; OS supersedes old versions and keeps at most three
 * (docs/os-apis.md §0, OS NGD versioning page). So here: `bld-fts-building-1` is gone (every route
 * answers 404, as OS does for an unknown collection), `-2` is superseded but still served, and `-3`
 * is current. The listing order follows OS's live `/collections` (Postcode Unit Area first).
 * `end` is the temporal extent's end date: how this mock marks a superseded version [inferred; OS's
 * live list shows `[start, null]` for current ones].
 */
const COLLECTIONS: Record<string, { title: string; end: string | null }> = {
  'asu-gbpcd-postcodeunitarea-1': { title: 'Postcode Unit Area v1', end: null },
  'bld-fts-building-2': { title: 'Building v2', end: '2026-03-01T00:00:00Z' },
  'bld-fts-building-3': { title: 'Building v3', end: null },
  'trn-ntwk-roadlink-4': { title: 'Road Link v4', end: null },
};
/** Superseded and removed by OS: known here only to answer 404 like any unknown collection. */
export const SUPERSEDED_COLLECTIONS = [
  'bld-fts-building-1',
  'trn-ntwk-roadlink-1',
  'trn-ntwk-roadlink-2',
  'trn-ntwk-roadlink-3',
];
const FEATURES_PER_COLLECTION = 250;
// `key` is a credential, not an OGC parameter, so it must never trigger the 400.
const ITEM_PARAMS = [
  'bbox',
  'bbox-crs',
  'crs',
  'datetime',
  'filter',
  'filter-crs',
  'filter-lang',
  'limit',
  'offset',
  'key',
];

const featureId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function feature(collection: string, i: number) {
  return {
    type: 'Feature',
    id: featureId(i),
    geometry: { type: 'Point', coordinates: [-1.4702 + (i % 25) * 0.0002, 50.9378 + Math.floor(i / 25) * 0.0002] },
    properties: {
      osid: featureId(i),
      collection,
      description: `Mock ${COLLECTIONS[collection]?.title ?? ''} ${i}`,
      versiondate: '2026-01-15',
    },
  };
}

function collectionJson(id: string) {
  return {
    id,
    title: COLLECTIONS[id]?.title,
    description: `Mock NGD collection ${id}`,
    crs: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'http://www.opengis.net/def/crs/EPSG/0/27700'],
    storageCrs: 'http://www.opengis.net/def/crs/EPSG/0/27700',
    itemType: 'feature',
    extent: {
      spatial: { bbox: [[-8.82, 49.79, 1.92, 60.94]], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' },
      temporal: {
        interval: [['2024-02-10T00:00:00Z', COLLECTIONS[id]?.end ?? null]],
        trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
      },
    },
    links: [
      { href: `${NGD}/collections/${id}`, rel: 'self', type: 'application/json' },
      { href: `${NGD}/collections/${id}/items`, rel: 'items', type: 'application/geo+json' },
    ],
  };
}

/** 404 body (OS's text for an unknown or superseded collection, docs/os-apis.md §1.6), or null if the collection exists. */
function unknownCollection(id: string): Reply | null {
  return COLLECTIONS[id]
    ? null
    : apiError(
        'ngd-features',
        404,
        `Collection '${id}' is not a supported Collection. Please refer to the documentation for a list of supported Collections.`,
      );
}

function items(ctx: RouteCtx): Reply {
  const id = ctx.params[0] ?? '';
  const missing = unknownCollection(id);
  if (missing) return missing;
  for (const name of ctx.query.keys()) {
    if (!ITEM_PARAMS.includes(name)) {
      return apiError(
        'ngd-features',
        400,
        `Not supported query parameter ${name}. Supported parameters are: ${ITEM_PARAMS.filter((p) => p !== 'key').join(', ')}`,
      );
    }
  }
  const limit = int(ctx.query.get('limit') ?? '10');
  const offset = int(ctx.query.get('offset') ?? '0');
  if (limit === null || limit < 1 || limit > 100)
    return apiError(
      'ngd-features',
      400,
      'Invalid value for query parameter limit. Limit must be an integer between 1 and 100.',
    );
  if (offset === null)
    return apiError(
      'ngd-features',
      400,
      'Invalid value for query parameter offset. Offset must be a non-negative integer.',
    );
  const end = Math.min(offset + limit, FEATURES_PER_COLLECTION);
  const features = [];
  for (let i = offset; i < end; i++) features.push(feature(id, i));
  // Links are the request URL with the page moved; a ?key= the caller used stays in them.
  const link = (off: number) => {
    const q = new URLSearchParams(ctx.query);
    q.set('offset', String(off));
    return `${NGD}/collections/${id}/items?${q}`;
  };
  const links = [
    {
      href: `${NGD}/collections/${id}/items${ctx.query.size ? `?${ctx.query}` : ''}`,
      rel: 'self',
      type: 'application/geo+json',
      title: 'This document',
    },
  ];
  if (end < FEATURES_PER_COLLECTION)
    links.push({ href: link(end), rel: 'next', type: 'application/geo+json', title: 'Next page' });
  if (offset > 0)
    links.push({
      href: link(Math.max(0, offset - limit)),
      rel: 'prev',
      type: 'application/geo+json',
      title: 'Previous page',
    });
  return json(
    200,
    {
      type: 'FeatureCollection',
      numberReturned: features.length,
      timeStamp: new Date(ctx.now).toISOString(),
      features,
      links,
    },
    'application/geo+json',
  );
}

function item(ctx: RouteCtx): Reply {
  const [id = '', fid = ''] = ctx.params;
  const missing = unknownCollection(id);
  if (missing) return missing;
  const i = Array.from({ length: FEATURES_PER_COLLECTION }, (_, n) => n).find((n) => featureId(n) === fid);
  if (i === undefined) return apiError('ngd-features', 404, `Feature '${fid}' was not found in Collection '${id}'.`);
  return json(200, feature(id, i), 'application/geo+json');
}

function ngdOne(ctx: RouteCtx, what: 'collection' | 'schema' | 'queryables'): Reply {
  const id = ctx.params[0] ?? '';
  const missing = unknownCollection(id);
  if (missing) return missing;
  if (what === 'collection') return json(200, collectionJson(id));
  return json(
    200,
    {
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      $id: `${NGD}/collections/${id}/${what}`,
      type: 'object',
      title: COLLECTIONS[id]?.title,
      properties: { osid: { type: 'string' }, description: { type: 'string' } },
    },
    'application/schema+json',
  );
}

// ---- NGD Tiles (enough for auth, tile matrix limits and classification tests) ----------------

const NGD_TILES = `${API_ORIGIN}/maps/vector/ngd/ota/v1`;
const TILE_COLLECTIONS = ['ngd-base', 'asu-bdy', 'wtr-ctch', 'trn-ntwk-railway'];
/**
 * Tile matrix sets (docs/os-apis.md §0): EPSG:3857 starts at zoom 6 (OS's MapLibre template uses
 * minZoom 6) and goes to 19; EPSG:27700 covers zooms 0-15. A tile outside answers 404 even with a
 * good key. Premium zooms [3rd-party]: 3857 16-19, 27700 12-15; a non-Premium project gets the
 * same 401 as for Premium OS Maps zooms.
 */
export const NGD_TILE_ZOOMS = { '3857': [6, 19], '27700': [0, 15] } as const;
const NGD_PREMIUM_FROM = { '3857': 16, '27700': 12 } as const;

function ngdTile(ctx: RouteCtx): Reply {
  const [id = '', tms = '', zs = '', rows = '', cols = ''] = ctx.params;
  if (!TILE_COLLECTIONS.includes(id))
    return apiError('ngd-tiles', 404, `Collection '${id}' is not a supported Collection.`);
  const srs = tms === '3857' ? '3857' : '27700';
  const [z, row, col] = [int(zs), int(rows), int(cols)];
  const [min, max] = NGD_TILE_ZOOMS[srs];
  if (z === null || row === null || col === null || z < min || z > max) {
    return apiError('ngd-tiles', 404, `Tile matrix '${zs}' is not in tile matrix set '${tms}' (zooms ${min}-${max}).`);
  }
  // 3857 is 2^z by 2^z. For 27700 the mock assumes OS Maps API's British National Grid matrix
  // (origin -238375, 1376256; 896 m a pixel at zoom 0, halving per zoom) [inferred for NGD].
  const span = 256 * (896 / 2 ** z);
  const [w, h] = srs === '3857' ? [2 ** z, 2 ** z] : [Math.ceil((900000 + 238375) / span), Math.ceil(1376256 / span)];
  if (row >= h || col >= w)
    return apiError('ngd-tiles', 404, `Tile ${zs}/${rows}/${cols} is outside tile matrix set '${tms}'.`);
  if (z >= NGD_PREMIUM_FROM[srs] && !ctx.project?.premium) return FAULTS.keyNotForResource();
  return { status: 200, headers: { 'Content-Type': 'application/vnd.mapbox-vector-tile' }, body: Buffer.alloc(0) };
}

function tileMatrixSet(tms: '3857' | '27700') {
  const [min, max] = NGD_TILE_ZOOMS[tms];
  return {
    id: tms,
    crs: `http://www.opengis.net/def/crs/EPSG/0/${tms}`,
    tileMatrices: Array.from({ length: max - min + 1 }, (_, i) => ({
      id: String(min + i),
      tileWidth: 256,
      tileHeight: 256,
    })),
  };
}

/** Styles are public (the OpenAPI's security sections), only tiles need a key (docs/os-apis.md §0). */
function ngdStyle(ctx: RouteCtx): Reply {
  const [id = '', tms = ''] = ctx.params;
  if (!TILE_COLLECTIONS.includes(id))
    return apiError('ngd-tiles', 404, `Collection '${id}' is not a supported Collection.`);
  return json(200, {
    version: 8,
    name: `${id} ${tms}`,
    sources: {
      [id]: {
        type: 'vector',
        tiles: [`${NGD_TILES}/collections/${id}/tiles/${tms}/{z}/{y}/{x}`],
        minzoom: NGD_TILE_ZOOMS[tms as '3857'][0],
        maxzoom: NGD_TILE_ZOOMS[tms as '3857'][1],
      },
    },
    layers: [],
  });
}

// ---- Features API (WFS) ----------------------------------------------------------------------

const TYPE_NAMES = ['Topography_TopographicArea', 'Zoomstack_Airports'];

function wfs(ctx: RouteCtx): Reply {
  const p = kvp(ctx.query);
  if ((p.get('service') ?? '').toUpperCase() !== 'WFS')
    return ogcException(400, 'MissingParameterValue', "Parameter 'service' must be WFS");
  const request = (p.get('request') ?? '').toLowerCase();
  if (request === 'getcapabilities') {
    return xml(
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:WFS_Capabilities xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">` +
        `<ows:ServiceIdentification><ows:Title>OS Features API</ows:Title></ows:ServiceIdentification><wfs:FeatureTypeList>` +
        TYPE_NAMES.map(
          (t) =>
            `<wfs:FeatureType><wfs:Name>${t}</wfs:Name><wfs:DefaultCRS>urn:ogc:def:crs:EPSG::27700</wfs:DefaultCRS></wfs:FeatureType>`,
        ).join('') +
        `</wfs:FeatureTypeList></wfs:WFS_Capabilities>`,
    );
  }
  if (request !== 'getfeature')
    return ogcException(400, 'OperationNotSupported', `Unsupported request '${p.get('request') ?? ''}'`);
  const typeName = p.get('typenames') ?? p.get('typename') ?? '';
  if (!TYPE_NAMES.includes(typeName))
    return ogcException(400, 'InvalidParameterValue', `Unknown typeNames '${typeName}'`);
  const count = int(p.get('count') ?? p.get('maxfeatures') ?? '100');
  const start = int(p.get('startindex') ?? '0');
  if (count === null || count < 1 || count > 100)
    return ogcException(400, 'InvalidParameterValue', 'count must be between 1 and 100');
  if (start === null) return ogcException(400, 'InvalidParameterValue', 'startIndex must be a non-negative integer');
  const n = Math.max(0, Math.min(count, 3 - start)); // three features per type
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    id: `${typeName}.${start + i}`,
    geometry: { type: 'Point', coordinates: [437292 + (start + i) * 10, 115541] },
    properties: { TOID: `osgb${1000000000 + start + i}`, TypeName: typeName },
  }));
  if ((p.get('outputformat') ?? '').toUpperCase() === 'GEOJSON') {
    return json(
      200,
      {
        type: 'FeatureCollection',
        features,
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
      },
      'application/json',
    );
  }
  return xml(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" numberMatched="3" numberReturned="${n}"/>`,
  );
}

const GET = ['GET'] as const;
const F = '^/features/ngd/ofa/v1';
export const FEATURES_ROUTES: Route[] = [
  {
    api: 'ngd-features',
    methods: GET,
    public: true,
    pattern: new RegExp(`${F}/collections/?$`),
    handle: () =>
      json(200, {
        links: [{ href: `${NGD}/collections`, rel: 'self', type: 'application/json', title: 'All collections' }],
        collections: Object.keys(COLLECTIONS).map(collectionJson),
      }),
  },
  {
    api: 'ngd-features',
    methods: GET,
    pattern: new RegExp(`${F}/?$`),
    handle: () =>
      json(200, {
        title: 'OS NGD API – Features',
        links: [
          { href: `${NGD}/collections`, rel: 'data' },
          { href: `${NGD}/conformance`, rel: 'conformance' },
        ],
      }),
  },
  {
    api: 'ngd-features',
    methods: GET,
    pattern: new RegExp(`${F}/conformance$`),
    handle: () =>
      json(200, {
        conformsTo: [
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
          'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        ],
      }),
  },
  {
    api: 'ngd-features',
    methods: GET,
    pattern: new RegExp(`${F}/collections/([^/]+)$`),
    handle: (c) => ngdOne(c, 'collection'),
  },
  {
    api: 'ngd-features',
    methods: GET,
    pattern: new RegExp(`${F}/collections/([^/]+)/schema$`),
    handle: (c) => ngdOne(c, 'schema'),
  },
  {
    api: 'ngd-features',
    methods: GET,
    pattern: new RegExp(`${F}/collections/([^/]+)/queryables$`),
    handle: (c) => ngdOne(c, 'queryables'),
  },
  { api: 'ngd-features', methods: GET, pattern: new RegExp(`${F}/collections/([^/]+)/items$`), handle: items },
  { api: 'ngd-features', methods: GET, pattern: new RegExp(`${F}/collections/([^/]+)/items/([^/]+)$`), handle: item },
  {
    api: 'ngd-tiles',
    methods: GET,
    pattern: /^\/maps\/vector\/ngd\/ota\/v1\/collections$/,
    handle: () =>
      json(200, {
        collections: TILE_COLLECTIONS.map((id) => ({
          id,
          links: [{ href: `${NGD_TILES}/collections/${id}/tiles`, rel: 'tiles' }],
        })),
      }),
  },
  {
    api: 'ngd-tiles',
    methods: GET,
    public: true,
    pattern: /^\/maps\/vector\/ngd\/ota\/v1\/tilematrixsets\/(3857|27700)$/,
    handle: (c) => json(200, tileMatrixSet(c.params[0] as '3857')),
  },
  {
    api: 'ngd-tiles',
    methods: GET,
    public: true,
    pattern: /^\/maps\/vector\/ngd\/ota\/v1\/collections\/([^/]+)\/styles\/(3857|27700)$/,
    handle: ngdStyle,
  },
  {
    api: 'ngd-tiles',
    methods: GET,
    pattern: /^\/maps\/vector\/ngd\/ota\/v1\/collections\/([^/]+)\/tiles\/(3857|27700)\/(\d+)\/(\d+)\/(\d+)$/,
    handle: ngdTile,
  },
  { api: 'features-wfs', methods: GET, pattern: /^\/features\/v1\/wfs$/, handle: wfs },
];
