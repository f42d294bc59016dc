/**
 * Coordinates for the viewer's map (issue 18): every CRS an OS response may use, to WGS84
 * longitude/latitude, with proj4 (a well-kept projection library) rather than hand-written maths.
 *
 * British National Grid (EPSG:27700) is OSGB36 on a transverse Mercator; the datum shift to WGS84
 * here is EPSG's seven-parameter Helmert transformation (the `towgs84` values of EPSG:27700 in
 * epsg.io), good to about 5 m, which is plenty for drawing on a web map. OS's own OSTN15 grid
 * shift is more exact (about 0.1 m) but needs a 15 MB grid file.
 */
import proj4 from 'proj4';
import type { Crs, Geometry, Position } from './viewer-features';

export const BNG_PROJ =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';

const bng = proj4(BNG_PROJ, 'WGS84');
const mercator = proj4('EPSG:3857', 'WGS84');

/** One position in `crs` → [longitude, latitude] in WGS84. Non-finite results give null. */
export function toLonLat(crs: Crs, position: Position): Position | null {
  const [a, b] = position;
  let out: number[];
  switch (crs) {
    case 'CRS84':
      out = [a, b];
      break;
    case 'EPSG:4326':
      out = [b, a]; // OGC axis order for EPSG:4326 is latitude first
      break;
    case 'EPSG:27700':
      out = bng.forward([a, b]);
      break;
    case 'EPSG:3857':
      out = mercator.forward([a, b]);
      break;
  }
  const [lon, lat] = out;
  return lon !== undefined &&
    lat !== undefined &&
    Number.isFinite(lon) &&
    Number.isFinite(lat) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180
    ? [lon, lat]
    : null;
}

/** WGS84 [longitude, latitude] → British National Grid [easting, northing]. */
export function lonLatToBng(position: Position): Position {
  // proj4 types a 2-D point as a tuple, but an unprojectable point can come back short.
  const [x, y] = bng.inverse([position[0], position[1]]) as (number | undefined)[];
  return [x ?? NaN, y ?? NaN];
}

/** A geometry in `crs` → the same geometry in WGS84 lon/lat; null if any position cannot be converted. */
export function geometryToLonLat(crs: Crs, geometry: Geometry): Geometry | null {
  const convert = (v: unknown, depth: number): unknown => {
    if (depth === 0) return toLonLat(crs, v as Position);
    const out = (v as unknown[]).map((x) => convert(x, depth - 1));
    return out.every((x) => x !== null) ? out : null;
  };
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[
    geometry.type
  ];
  const coordinates = convert(geometry.coordinates, depth);
  return coordinates === null ? null : ({ type: geometry.type, coordinates } as Geometry);
}
