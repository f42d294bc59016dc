// What the mock's Vector Tile API serves: synthetic but valid vector tiles, and the style that
// draws them with the service's sprite and glyphs. The data is made up per tile (land, a lake,
// two roads, a place, the tile's outline and its z/x/y label), so a rendered map shows which tile
// is where, like the labelled raster tiles.
import { encodeMvt, type MvtLayer, type Point } from './mvt';

const E = 4096;
const B = 64; // buffer beyond the tile edge, as real tiles have

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** A regular polygon, clockwise in tile coordinates (y down), i.e. an MVT exterior ring. */
function blob(cx: number, cy: number, r: number, sides = 10): Point[] {
  return Array.from({ length: sides }, (_, i) => {
    const a = (2 * Math.PI * i) / sides;
    return [Math.round(cx + r * Math.cos(a)), Math.round(cy + r * Math.sin(a))] as const;
  });
}

/** The vector tile at z/x/y (column x, row y) of the tile matrix set `srs`. */
export function vectorTile(srs: string, z: number, x: number, y: number): Buffer {
  const h = hash(`${srs}/${z}/${x}/${y}`);
  const lake = blob(700 + (h % 2600), 700 + ((h >>> 12) % 900), 320 + ((h >>> 20) % 200));
  const roadY = 1400 + ((h >>> 4) % 1200);
  const roadX = 900 + ((h >>> 8) % 2200);
  const layers: MvtLayer[] = [
    {
      name: 'land',
      features: [
        {
          id: 1,
          properties: { kind: 'land' },
          geometry: {
            type: 'Polygon',
            rings: [
              [
                [-B, -B],
                [E + B, -B],
                [E + B, E + B],
                [-B, E + B],
              ],
            ],
          },
        },
      ],
    },
    {
      name: 'water',
      features: [
        { id: 2, properties: { kind: 'lake', name: 'Mock Water' }, geometry: { type: 'Polygon', rings: [lake] } },
      ],
    },
    {
      name: 'roads',
      features: [
        {
          id: 3,
          properties: { class: 'A Road', name: `A${(x + y) % 100}` },
          geometry: {
            type: 'LineString',
            lines: [
              [
                [-B, roadY],
                [E + B, roadY - 300],
              ],
            ],
          },
        },
        {
          id: 4,
          properties: { class: 'Minor Road' },
          geometry: {
            type: 'LineString',
            lines: [
              [
                [roadX, -B],
                [roadX + 200, E + B],
              ],
            ],
          },
        },
      ],
    },
    {
      name: 'places',
      features: [
        {
          id: 5,
          properties: { name: 'Mock Place', kind: 'hamlet' },
          geometry: { type: 'Point', points: [[roadX + 100, roadY + 500]] },
        },
      ],
    },
    {
      name: 'tile_boundary',
      features: [
        {
          id: 6,
          properties: {},
          geometry: {
            type: 'LineString',
            lines: [
              [
                [0, 0],
                [E, 0],
                [E, E],
                [0, E],
                [0, 0],
              ],
            ],
          },
        },
      ],
    },
    {
      name: 'tile_label',
      features: [
        { id: 7, properties: { label: `${z}/${x}/${y}` }, geometry: { type: 'Point', points: [[E / 2, E / 2]] } },
      ],
    },
  ];
  return encodeMvt(layers);
}

/** The fonts the style uses: OS's glyph server has only OS fonts (os-apis.md §1.4). */
export const STYLE_FONTS = { regular: 'Source Sans Pro Regular', bold: 'Source Sans Pro Bold' } as const;

/** Style layers for {@link vectorTile}'s source layers, drawn from the source named `source`. */
export function styleLayers(source: string): unknown[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': '#e9e5dc' } },
    { id: 'land', type: 'fill', source, 'source-layer': 'land', paint: { 'fill-color': '#f3f0e6' } },
    {
      id: 'water',
      type: 'fill',
      source,
      'source-layer': 'water',
      paint: { 'fill-color': '#9ec9e2', 'fill-outline-color': '#6a9fc0' },
    },
    {
      id: 'roads-casing',
      type: 'line',
      source,
      'source-layer': 'roads',
      paint: { 'line-color': '#8c8c8c', 'line-width': ['match', ['get', 'class'], 'A Road', 7, 4] },
    },
    {
      id: 'roads',
      type: 'line',
      source,
      'source-layer': 'roads',
      paint: {
        'line-color': ['match', ['get', 'class'], 'A Road', '#f28c6b', '#ffffff'],
        'line-width': ['match', ['get', 'class'], 'A Road', 5, 2],
      },
    },
    {
      id: 'tile-boundary',
      type: 'line',
      source,
      'source-layer': 'tile_boundary',
      paint: { 'line-color': '#555555', 'line-width': 1, 'line-dasharray': [4, 4] },
    },
    {
      id: 'places',
      type: 'symbol',
      source,
      'source-layer': 'places',
      layout: {
        'icon-image': 'marker',
        'text-field': ['get', 'name'],
        'text-font': [STYLE_FONTS.regular],
        'text-size': 12,
        'text-offset': [0, 1],
        'text-anchor': 'top',
      },
      paint: { 'text-color': '#5a1a1a', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    {
      id: 'tile-label',
      type: 'symbol',
      source,
      'source-layer': 'tile_label',
      layout: {
        'text-field': ['get', 'label'],
        'text-font': [STYLE_FONTS.bold],
        'text-size': 20,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#222222', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
  ];
}
