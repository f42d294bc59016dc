// OS Maps API (raster ZXY + WMTS) and OS Vector Tile API (os-apis.md §1.3, §1.4).
import { glyphRange } from './glyphs';
import { tilePng } from './png';
import { apiError, escapeXml, FAULTS, json, ogcException, xml, type Reply } from './reply';
import { API_ORIGIN, int, keyEcho, kvp, type Route, type RouteCtx } from './routing';
import { spriteIndex, spriteSheet } from './sprite';
import { styleLayers, vectorTile } from './vts-content';

type Srs = '3857' | '27700';

/** The seven layers; the suffix is the tile matrix set. Leisure exists only in 27700. */
const LAYERS: Record<string, Srs> = {
  Road_27700: '27700',
  Road_3857: '3857',
  Outdoor_27700: '27700',
  Outdoor_3857: '3857',
  Light_27700: '27700',
  Light_3857: '3857',
  Leisure_27700: '27700',
};
const ZOOMS: Record<Srs, readonly [number, number]> = { '3857': [7, 20], '27700': [0, 13] };
/**
 * Premium data: EPSG:3857 zooms 17-20. A non-premium project gets 401
 * `InvalidApiKeyForGivenResource` there (we chose 401 over 403 because OS's wrappers read 401
 * as "key does not permit this product"). 27700 Premium zooms are not modelled: OS's table for
 * them was not available.
 */
const PREMIUM_MIN_ZOOM_3857 = 17;
// EPSG:27700 grid used by OS (origin and 896 m/px at zoom 0, halving per level).
const BNG_ORIGIN = [-238375, 1376256] as const;
const BNG_MAX_X = 900000;
const WEB_MERCATOR_HALF = 20037508.342789244;

type TileCheck = { ok: true; png: Buffer } | { ok: false; reply?: Reply; message: string };

function checkTile(ctx: RouteCtx, layer: string, zs: string, xs: string, ys: string): TileCheck {
  const srs = LAYERS[layer];
  if (!srs)
    return { ok: false, message: `Invalid layer '${layer}'. Valid layers are: ${Object.keys(LAYERS).join(', ')}` };
  const [z, x, y] = [int(zs), int(xs), int(ys)];
  const [min, max] = ZOOMS[srs];
  if (z === null || x === null || y === null)
    return { ok: false, message: 'Tile coordinates must be non-negative integers' };
  if (z < min || z > max) return { ok: false, message: `Zoom level ${z} is outside ${min}-${max} for ${layer}` };
  const [w, h] = matrixSize(srs, z);
  if (x >= w || y >= h) return { ok: false, message: `Tile ${z}/${x}/${y} is outside the tile matrix` };
  if (srs === '3857' && z >= PREMIUM_MIN_ZOOM_3857 && !ctx.project?.premium) {
    return { ok: false, reply: FAULTS.keyNotForResource(), message: 'Premium data' };
  }
  return { ok: true, png: tilePng(layer, z, x, y) };
}

function matrixSize(srs: Srs, z: number): [number, number] {
  if (srs === '3857') return [2 ** z, 2 ** z];
  const span = 256 * (896 / 2 ** z);
  return [Math.ceil((BNG_MAX_X - BNG_ORIGIN[0]) / span), Math.ceil(BNG_ORIGIN[1] / span)];
}

const png = (body: Buffer): Reply => ({ status: 200, headers: { 'Content-Type': 'image/png' }, body });

function zxy(ctx: RouteCtx): Reply {
  const [layer = '', z = '', x = '', y = ''] = ctx.params;
  const t = checkTile(ctx, layer, z, x, y);
  if (t.ok) return png(t.png);
  return t.reply ?? apiError('maps-raster', 400, t.message);
}

function wmts(ctx: RouteCtx): Reply {
  const p = kvp(ctx.query);
  if ((p.get('service') ?? '').toUpperCase() !== 'WMTS')
    return ogcException(400, 'MissingParameterValue', "Parameter 'service' must be WMTS");
  const version = p.get('version');
  if (version !== undefined && version !== '1.0.0' && version !== '2.0.0') {
    return ogcException(400, 'VersionNegotiationFailed', `Unsupported version ${version}; use 1.0.0 or 2.0.0`);
  }
  const request = (p.get('request') ?? '').toLowerCase();
  if (request === 'getcapabilities') return xml(200, capabilities(ctx));
  if (request !== 'gettile')
    return ogcException(400, 'OperationNotSupported', `Unsupported request '${p.get('request') ?? ''}'`);
  const layer = p.get('layer') ?? '';
  const tms = p.get('tilematrixset') ?? '';
  if (LAYERS[layer] && tms !== `EPSG:${LAYERS[layer]}`) {
    return ogcException(400, 'InvalidParameterValue', `TileMatrixSet '${tms}' is not valid for layer ${layer}`);
  }
  // Accept both "7" and the capabilities identifier "EPSG:3857:7".
  const z = (p.get('tilematrix') ?? '').split(':').pop() ?? '';
  const t = checkTile(ctx, layer, z, p.get('tilecol') ?? '', p.get('tilerow') ?? '');
  if (t.ok) return png(t.png);
  return t.reply ?? ogcException(400, 'InvalidParameterValue', t.message);
}

function capabilities(ctx: RouteCtx): string {
  // Absolute api.os.uk URLs, echoing the caller's ?key= only if it used one (OpenLayers demos rely on it).
  const key = ctx.query.get('key');
  const href = escapeXml(`${API_ORIGIN}/maps/raster/v1/wmts?${key ? `key=${encodeURIComponent(key)}&` : ''}`);
  const op = (name: string) =>
    `<ows:Operation name="${name}"><ows:DCP><ows:HTTP><ows:Get xlink:href="${href}"><ows:Constraint name="GetEncoding">` +
    `<ows:AllowedValues><ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get></ows:HTTP></ows:DCP></ows:Operation>`;
  const layers = Object.entries(LAYERS).map(
    ([id, srs]) =>
      `<Layer><ows:Title>${id}</ows:Title><ows:Identifier>${id}</ows:Identifier><Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>` +
      `<Format>image/png</Format><TileMatrixSetLink><TileMatrixSet>EPSG:${srs}</TileMatrixSet></TileMatrixSetLink></Layer>`,
  );
  const sets = (['27700', '3857'] as const).map((srs) => {
    const [min, max] = ZOOMS[srs];
    const matrices: string[] = [];
    for (let z = min; z <= max; z++) {
      const res = srs === '3857' ? (2 * WEB_MERCATOR_HALF) / 256 / 2 ** z : 896 / 2 ** z;
      const [w, h] = matrixSize(srs, z);
      const corner =
        srs === '3857' ? `${-WEB_MERCATOR_HALF} ${WEB_MERCATOR_HALF}` : `${BNG_ORIGIN[0]} ${BNG_ORIGIN[1]}`;
      matrices.push(
        `<TileMatrix><ows:Identifier>EPSG:${srs}:${z}</ows:Identifier><ScaleDenominator>${res / 0.00028}</ScaleDenominator>` +
          `<TopLeftCorner>${corner}</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>` +
          `<MatrixWidth>${w}</MatrixWidth><MatrixHeight>${h}</MatrixHeight></TileMatrix>`,
      );
    }
    return `<TileMatrixSet><ows:Identifier>EPSG:${srs}</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::${srs}</ows:SupportedCRS>${matrices.join('')}</TileMatrixSet>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" ` +
    `xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0"><ows:ServiceIdentification><ows:Title>OS Maps API</ows:Title>` +
    `<ows:ServiceType>OGC WMTS</ows:ServiceType><ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion></ows:ServiceIdentification>` +
    `<ows:OperationsMetadata>${op('GetCapabilities')}${op('GetTile')}</ows:OperationsMetadata>` +
    `<Contents>${layers.join('')}${sets.join('')}</Contents></Capabilities>`
  );
}

// ---- Vector Tile API -------------------------------------------------------------------------

const VTS = `${API_ORIGIN}/maps/vector/v1/vts`;
const OS_FONT = /^Source Sans Pro\b/;

/** `srs` defaults to 27700; only 27700 and 3857 exist. Returns null when invalid. */
function vtsSrs(ctx: RouteCtx): Srs | null {
  const s = ctx.query.get('srs') ?? '27700';
  return s === '27700' || s === '3857' ? s : null;
}

const badSrs = () => apiError('vector-tiles', 400, "Invalid 'srs'. Supported values are 27700 and 3857");

function vtsMetadata(ctx: RouteCtx): Reply {
  const srs = vtsSrs(ctx);
  if (!srs) return badSrs();
  const bng = srs === '27700';
  const res0 = bng ? 896 * 2 : (2 * WEB_MERCATOR_HALF) / 512;
  const origin = bng ? { x: BNG_ORIGIN[0], y: BNG_ORIGIN[1] } : { x: -WEB_MERCATOR_HALF, y: WEB_MERCATOR_HALF };
  const lods = Array.from({ length: bng ? 16 : 17 }, (_, level) => ({
    level,
    resolution: res0 / 2 ** level,
    scale: res0 / 2 ** level / 0.00026458,
  }));
  const spatialReference = { wkid: Number(srs), latestWkid: Number(srs) };
  // tiles[0] echoes ?key= but never srs (OS does not propagate it; clients must re-add it).
  return json(200, {
    currentVersion: 10.81,
    name: `OS_Open_Zoomstack_${srs}`,
    capabilities: 'TilesOnly',
    type: 'indexedVector',
    defaultStyles: 'resources/styles',
    tiles: [`${VTS}/tile/{z}/{y}/{x}.pbf${keyEcho(ctx)}`],
    exportTilesAllowed: false,
    tileInfo: { rows: 512, cols: 512, dpi: 96, format: 'pbf', origin, spatialReference, lods },
    fullExtent: bng
      ? { xmin: -238375, ymin: 0, xmax: 900000, ymax: 1376256, spatialReference }
      : { xmin: -1e6, ymin: 6.4e6, xmax: 2e5, ymax: 8.6e6, spatialReference },
    minScale: 0,
    maxScale: 0,
  });
}

function vtsStyle(ctx: RouteCtx): Reply {
  const srs = vtsSrs(ctx);
  if (!srs) return badSrs();
  const k = keyEcho(ctx);
  // Like OS's: absolute URLs that echo ?key= (only if the caller used it) and never carry srs.
  return json(200, {
    version: 8,
    name: `OS_VTS_${srs}_Road`,
    sprite: `${VTS}/resources/sprites/sprite${k}`,
    glyphs: `${VTS}/resources/fonts/{fontstack}/{range}.pbf${k}`,
    sources: { esri: { type: 'vector', url: `${VTS}${k}` } },
    layers: styleLayers('esri'),
  });
}

function vtsSprite(ctx: RouteCtx): Reply {
  const ratio = ctx.params[0]?.endsWith('@2x') ? 2 : 1;
  if (ctx.params[1] === 'png') return png(spriteSheet(ratio));
  return json(200, spriteIndex(ratio));
}

function vtsFont(ctx: RouteCtx): Reply {
  // OS's glyph server only has OS fonts; MapLibre's default "Open Sans Regular" 404s (§1.4).
  const stack = ctx.params[0] ?? '';
  const fonts = stack.split(',').map((f) => f.trim());
  if (!fonts.some((f) => OS_FONT.test(f))) return apiError('vector-tiles', 404, `Font not found: ${fonts.join(',')}`);
  const [start, end] = [int(ctx.params[1]), int(ctx.params[2])];
  // Ranges are blocks of 256 code points, as clients request them ("0-255", "256-511", …).
  if (start === null || end === null || start % 256 !== 0 || end !== start + 255 || end > 0xffff) {
    return apiError('vector-tiles', 404, `Glyph range not found: ${ctx.params[1] ?? ''}-${ctx.params[2] ?? ''}`);
  }
  return { status: 200, headers: { 'Content-Type': 'application/x-protobuf' }, body: glyphRange(stack, start, end) };
}

/** Levels in the metadata's `lods`: 3857 has 0-16, 27700 has 0-15 (512 px tiles). */
const VTS_MAX_ZOOM: Record<Srs, number> = { '3857': 16, '27700': 15 };

function vtsMatrixSize(srs: Srs, z: number): [number, number] {
  if (srs === '3857') return [2 ** z, 2 ** z];
  const span = (512 * 896 * 2) / 2 ** z;
  return [Math.ceil((BNG_MAX_X - BNG_ORIGIN[0]) / span), Math.ceil(BNG_ORIGIN[1] / span)];
}

function vtsTile(ctx: RouteCtx): Reply {
  const srs = vtsSrs(ctx);
  if (!srs) return badSrs();
  // The path is {z}/{y}/{x}: row before column (os-apis.md §1.4).
  const [z, y, x] = ctx.params.map((p) => int(p));
  if (z == null || y == null || x == null)
    return apiError('vector-tiles', 400, 'Tile coordinates must be non-negative integers');
  if (z > VTS_MAX_ZOOM[srs])
    return apiError('vector-tiles', 400, `Zoom level ${z} is outside 0-${VTS_MAX_ZOOM[srs]} for EPSG:${srs}`);
  const [w, h] = vtsMatrixSize(srs, z);
  if (x >= w || y >= h) return apiError('vector-tiles', 400, `Tile ${z}/${y}/${x} is outside the tile matrix`);
  return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: vectorTile(srs, z, x, y) };
}

const GET = ['GET'] as const;
export const MAPS_ROUTES: Route[] = [
  {
    api: 'maps-raster',
    methods: GET,
    pattern: /^\/maps\/raster\/v1\/zxy\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\.png$/,
    handle: zxy,
  },
  { api: 'maps-raster', methods: GET, pattern: /^\/maps\/raster\/v1\/wmts$/, handle: wmts },
  { api: 'vector-tiles', methods: GET, pattern: /^\/maps\/vector\/v1\/vts\/?$/, handle: vtsMetadata },
  { api: 'vector-tiles', methods: GET, pattern: /^\/maps\/vector\/v1\/vts\/resources\/styles$/, handle: vtsStyle },
  {
    api: 'vector-tiles',
    methods: GET,
    pattern: /^\/maps\/vector\/v1\/vts\/resources\/sprites\/(sprite(?:@2x)?)\.(json|png)$/,
    handle: vtsSprite,
  },
  {
    api: 'vector-tiles',
    methods: GET,
    pattern: /^\/maps\/vector\/v1\/vts\/resources\/fonts\/([^/]+)\/(\d+)-(\d+)\.pbf$/,
    handle: vtsFont,
  },
  {
    api: 'vector-tiles',
    methods: GET,
    pattern: /^\/maps\/vector\/v1\/vts\/tile\/(\d+)\/(\d+)\/(\d+)\.pbf$/,
    handle: vtsTile,
  },
];
