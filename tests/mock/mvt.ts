// Mapbox Vector Tile 2.1 encoder (https://github.com/mapbox/vector-tile-spec/tree/master/2.1),
// enough for the mock's synthetic Vector Tile API tiles: points, lines and polygons with string,
// number and boolean properties.
import { ProtoWriter, zigzag } from './protobuf';

export type Point = readonly [number, number];

export type MvtGeometry =
  | { type: 'Point'; points: readonly Point[] }
  | { type: 'LineString'; lines: readonly (readonly Point[])[] }
  /** Rings without the closing point; exterior rings clockwise in tile coordinates (y down). */
  | { type: 'Polygon'; rings: readonly (readonly Point[])[] };

export interface MvtFeature {
  id?: number;
  geometry: MvtGeometry;
  properties: Readonly<Record<string, string | number | boolean>>;
}

export interface MvtLayer {
  name: string;
  /** Default 4096. */
  extent?: number;
  features: readonly MvtFeature[];
}

const GEOM_TYPE = { Point: 1, LineString: 2, Polygon: 3 } as const;
const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;
const command = (id: number, count: number) => (id & 0x7) | (count << 3);

function encodeGeometry(g: MvtGeometry): number[] {
  const out: number[] = [];
  let cx = 0;
  let cy = 0;
  const moveBy = ([x, y]: Point) => {
    out.push(zigzag(x - cx), zigzag(y - cy));
    cx = x;
    cy = y;
  };
  const path = (pts: readonly Point[], close: boolean) => {
    const [first, ...rest] = pts;
    if (!first) return;
    out.push(command(MOVE_TO, 1));
    moveBy(first);
    if (rest.length) {
      out.push(command(LINE_TO, rest.length));
      rest.forEach(moveBy);
    }
    if (close) out.push(command(CLOSE_PATH, 1));
  };
  switch (g.type) {
    case 'Point':
      out.push(command(MOVE_TO, g.points.length));
      g.points.forEach(moveBy);
      break;
    case 'LineString':
      g.lines.forEach((l) => path(l, false));
      break;
    case 'Polygon':
      g.rings.forEach((r) => path(r, true));
      break;
  }
  return out;
}

function encodeValue(v: string | number | boolean): ProtoWriter {
  const w = new ProtoWriter();
  if (typeof v === 'string') return w.bytes(1, v);
  if (typeof v === 'boolean') return w.uint(7, v ? 1 : 0);
  if (Number.isInteger(v)) return v >= 0 ? w.uint(5, v) : w.sint(6, v);
  return w.double(3, v);
}

function encodeLayer(layer: MvtLayer): ProtoWriter {
  const keys: string[] = [];
  const values: (string | number | boolean)[] = [];
  const valueIndex = new Map<string, number>();
  const features = layer.features.map((f) => {
    const tags: number[] = [];
    for (const [k, v] of Object.entries(f.properties)) {
      let ki = keys.indexOf(k);
      if (ki === -1) ki = keys.push(k) - 1;
      const vKey = `${typeof v}:${String(v)}`;
      let vi = valueIndex.get(vKey);
      if (vi === undefined) {
        vi = values.push(v) - 1;
        valueIndex.set(vKey, vi);
      }
      tags.push(ki, vi);
    }
    const w = new ProtoWriter();
    if (f.id !== undefined) w.uint(1, f.id);
    if (tags.length) w.packed(2, tags);
    return w.uint(3, GEOM_TYPE[f.geometry.type]).packed(4, encodeGeometry(f.geometry));
  });
  const w = new ProtoWriter().uint(15, 2).bytes(1, layer.name);
  for (const f of features) w.bytes(2, f);
  for (const k of keys) w.bytes(3, k);
  for (const v of values) w.bytes(4, encodeValue(v));
  return w.uint(5, layer.extent ?? 4096);
}

/** A complete vector tile (the body of a `.pbf` tile response). */
export function encodeMvt(layers: readonly MvtLayer[]): Buffer {
  const tile = new ProtoWriter();
  for (const l of layers) tile.bytes(3, encodeLayer(l));
  return tile.finish();
}
