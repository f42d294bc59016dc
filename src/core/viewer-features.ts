/**
 * What an OS API response shown in the in-tab viewer (issue 18) holds: its features (GeoJSON, OS
 * Names and OS Places results, in British National Grid or WGS84) and how to page through it.
 * Pure and total: any input, however malformed, gives an answer and never throws.
 */
import { OS_API_HOST } from './os-api';

/** Coordinate reference systems the viewer can draw. `EPSG:4326` here means lat,lon order (OGC). */
export type Crs = 'CRS84' | 'EPSG:4326' | 'EPSG:27700' | 'EPSG:3857';

export type Position = [number, number];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint' | 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString' | 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface ViewerFeature {
  /** A short name for lists and popups: the feature's id, or a name it carries. */
  title: string;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

export interface FeatureSet {
  /** What the features are, for the header ("GeoJSON features", "OS Names results"…). */
  source: string;
  crs: Crs;
  features: ViewerFeature[];
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

/** A CRS named in a URL parameter, an OGC URI or a GeoJSON `crs` member; undefined if unknown. */
export function crsFromName(name: string | null | undefined): Crs | undefined {
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  const n = name.trim().toUpperCase();
  if (/CRS84$/.test(n) || n === 'WGS84') return 'CRS84';
  if (/(^|[^0-9])27700$/.test(n)) return 'EPSG:27700';
  if (/(^|[^0-9])(3857|900913)$/.test(n)) return 'EPSG:3857';
  if (/(^|[^0-9])4326$/.test(n)) return 'EPSG:4326';
  return undefined;
}

function queryParam(url: URL | null, name: string): string | null {
  if (!url) return null;
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === name.toLowerCase()) return v;
  return null;
}

/** The URL, or null if it does not parse (core never throws on input). */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isPosition(v: unknown): v is Position {
  return Array.isArray(v) && v.length >= 2 && [v[0], v[1]].every((c) => typeof c === 'number' && Number.isFinite(c));
}

function positions(v: unknown, depth: number): unknown {
  if (depth === 0) return isPosition(v) ? [v[0], v[1]] : undefined;
  if (!Array.isArray(v)) return undefined;
  const out = v.map((x) => positions(x, depth - 1));
  return out.every((x) => x !== undefined) ? out : undefined;
}

const DEPTH: Record<Geometry['type'], number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

function geometryOf(v: unknown): Geometry | undefined {
  const g = obj(v);
  const type = g?.type;
  if (typeof type !== 'string' || !Object.hasOwn(DEPTH, type)) return undefined;
  const coordinates = positions(g?.coordinates, DEPTH[type as Geometry['type']]);
  return coordinates === undefined ? undefined : ({ type, coordinates } as Geometry);
}

function titleOf(id: unknown, props: Record<string, unknown>, index: number): string {
  for (const v of [props.NAME1, props.ADDRESS, props.name, props.description, id])
    if (typeof v === 'string' && v !== '') return v;
  if (typeof id === 'number') return String(id);
  return `Feature ${index + 1}`;
}

function geoJsonFeatures(root: Record<string, unknown>): ViewerFeature[] | undefined {
  const list =
    root.type === 'FeatureCollection' && Array.isArray(root.features)
      ? root.features
      : root.type === 'Feature'
        ? [root]
        : undefined;
  if (!list) return undefined;
  const out: ViewerFeature[] = [];
  list.forEach((f, i) => {
    const feature = obj(f);
    const geometry = geometryOf(feature?.geometry);
    if (!feature || !geometry) return;
    const properties = obj(feature.properties) ?? {};
    out.push({
      title: titleOf(feature.id, properties, i),
      geometry,
      properties: { ...(feature.id !== undefined ? { id: feature.id } : {}), ...properties },
    });
  });
  return out;
}

/**
 * The CRS of a GeoJSON response: the body's own (legacy) `crs` member first (WFS names it), then
 * the request's `crs` (NGD) or `srsName` (WFS) parameter; WFS defaults to British National Grid,
 * everything else to GeoJSON's lon/lat.
 */
function geoJsonCrs(root: Record<string, unknown>, url: URL | null): Crs {
  const named = crsFromName(obj(obj(root.crs)?.properties)?.name as string | undefined);
  if (named) return named;
  const param = crsFromName(queryParam(url, 'crs') ?? queryParam(url, 'srsName'));
  if (param) return param;
  return url?.pathname.startsWith('/features/v1/wfs') ? 'EPSG:27700' : 'CRS84';
}

/** OS Names (`GAZETTEER_ENTRY`, BNG) and OS Places (`DPA`/`LPI`, BNG or WGS84) results. */
function searchResults(root: Record<string, unknown>): FeatureSet | undefined {
  if (!Array.isArray(root.results)) return undefined;
  const header = obj(root.header);
  const outputSrs = crsFromName(typeof header?.output_srs === 'string' ? header.output_srs : undefined);
  const features: ViewerFeature[] = [];
  let source = '';
  let crs: Crs = 'EPSG:27700';
  root.results.forEach((r, i) => {
    const result = obj(r);
    const names = obj(result?.GAZETTEER_ENTRY);
    const place = obj(result?.DPA) ?? obj(result?.LPI);
    const entry = names ?? place;
    if (!entry) return;
    source = names ? 'OS Names results' : 'OS Places results';
    let position: Position | undefined;
    const lat = num(entry.LAT);
    const lng = num(entry.LNG);
    if (lat !== undefined && lng !== undefined) {
      // Places gives LAT/LNG with output_srs=WGS84 (or EPSG:4326).
      position = [lng, lat];
      crs = 'CRS84';
    } else {
      const x = num(names ? entry.GEOMETRY_X : entry.X_COORDINATE);
      const y = num(names ? entry.GEOMETRY_Y : entry.Y_COORDINATE);
      if (x !== undefined && y !== undefined) {
        position = [x, y];
        crs = outputSrs === 'EPSG:3857' ? 'EPSG:3857' : 'EPSG:27700';
      }
    }
    if (!position) return;
    features.push({
      title: titleOf(entry.UPRN ?? entry.ID, entry, i),
      geometry: { type: 'Point', coordinates: position },
      properties: entry,
    });
  });
  return features.length ? { source, crs, features } : undefined;
}

/** The features a response carries, with their CRS; null when it has none to draw. */
export function featuresOf(value: unknown, url: string): FeatureSet | null {
  const root = obj(value);
  if (!root) return null;
  const parsed = parseUrl(url);
  const geo = geoJsonFeatures(root);
  if (geo) return geo.length ? { source: 'GeoJSON features', crs: geoJsonCrs(root, parsed), features: geo } : null;
  return searchResults(root) ?? null;
}

// ---- paging ----------------------------------------------------------------------------------

export interface Paging {
  next?: string;
  prev?: string;
  /** "Results 1–10 of 250" when the response says how many there are. */
  summary?: string;
}

/** Only pages on the OS API host become buttons: a response cannot send the tab elsewhere. */
function sameHost(href: unknown, base: URL | null): string | undefined {
  if (typeof href !== 'string' || !base) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === 'https:' && u.hostname === OS_API_HOST && u.port === '' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function withParam(url: URL, name: string, value: number): string {
  const u = new URL(url.href);
  u.searchParams.set(name, String(value));
  return u.href;
}

/**
 * Next/previous pages: OGC API `links` with rel `next`/`prev` (NGD Features), or a Names/Places
 * `header` with `offset`, `maxresults` and `totalresults`.
 */
export function pagingOf(value: unknown, url: string): Paging {
  const root = obj(value);
  const base = parseUrl(url);
  if (!root || !base) return {};
  if (Array.isArray(root.links)) {
    const out: Paging = {};
    for (const l of root.links) {
      const link = obj(l);
      const rel = typeof link?.rel === 'string' ? link.rel.toLowerCase() : '';
      const href = sameHost(link?.href, base);
      if (!href) continue;
      if (rel === 'next') out.next ??= href;
      else if (rel === 'prev' || rel === 'previous') out.prev ??= href;
    }
    const returned = num(root.numberReturned);
    const offset = num(queryParam(base, 'offset')) ?? 0;
    if (returned !== undefined)
      out.summary = returned === 0 ? 'No features' : `Features ${offset + 1}–${offset + returned}`;
    return out;
  }
  const header = obj(root.header);
  const total = num(header?.totalresults);
  if (header && total !== undefined) {
    const offset = num(header.offset) ?? 0;
    const max = num(header.maxresults) ?? 100;
    const shown = Array.isArray(root.results) ? root.results.length : 0;
    const out: Paging = { summary: total === 0 ? 'No results' : `Results ${offset + 1}–${offset + shown} of ${total}` };
    if (offset + shown < total && shown > 0) out.next = withParam(base, 'offset', offset + max);
    if (offset > 0) out.prev = withParam(base, 'offset', Math.max(0, offset - max));
    return out;
  }
  return {};
}
