// The Vector Tile API's sprite: `sprite{,@2x}.json` (an index of icon rectangles) and
// `sprite{,@2x}.png` (the sheet), as MapLibre/Mapbox GL load them for `icon-image`.
import { encodePngRgba, type Rgba } from './png';

type Painter = (u: number, v: number) => Rgba | null;

const CLEAR: Rgba = [0, 0, 0, 0];

/** Icons drawn in unit coordinates (u, v in [0, 1)); null is transparent. */
const ICONS: Record<string, Painter> = {
  // A red disc with a white centre: the mock's "place" marker.
  marker: (u, v) => {
    const d = Math.hypot(u - 0.5, v - 0.5);
    if (d < 0.16) return [255, 255, 255, 255];
    if (d < 0.42) return [200, 30, 45, 255];
    if (d < 0.48) return [255, 255, 255, 255];
    return null;
  },
  // A navy square with a white rim: used for points that are not places.
  square: (u, v) => {
    const m = Math.min(u, v, 1 - u, 1 - v);
    if (m < 0.08) return null;
    if (m < 0.16) return [255, 255, 255, 255];
    return [20, 50, 110, 255];
  },
};

const ICON_SIZE = 20;

export interface SpriteEntry {
  x: number;
  y: number;
  width: number;
  height: number;
  pixelRatio: number;
}

function layout(pixelRatio: number): { index: Record<string, SpriteEntry>; width: number; height: number } {
  const size = ICON_SIZE * pixelRatio;
  const index: Record<string, SpriteEntry> = {};
  Object.keys(ICONS).forEach((name, i) => {
    index[name] = { x: i * size, y: 0, width: size, height: size, pixelRatio };
  });
  return { index, width: Object.keys(ICONS).length * size, height: size };
}

const cache = new Map<string, Buffer | Record<string, SpriteEntry>>();

/** The sprite index for `sprite.json` (pixelRatio 1) or `sprite@2x.json` (2). */
export function spriteIndex(pixelRatio: 1 | 2): Record<string, SpriteEntry> {
  return layout(pixelRatio).index;
}

/** The sprite sheet PNG matching {@link spriteIndex}. */
export function spriteSheet(pixelRatio: 1 | 2): Buffer {
  const key = `png@${pixelRatio}`;
  const hit = cache.get(key);
  if (Buffer.isBuffer(hit)) return hit;
  const { index, width, height } = layout(pixelRatio);
  const entries = Object.entries(index);
  const png = encodePngRgba(width, height, (x, y) => {
    for (const [name, e] of entries) {
      if (x >= e.x && x < e.x + e.width && y >= e.y && y < e.y + e.height) {
        const paint = ICONS[name];
        return paint?.((x - e.x + 0.5) / e.width, (y - e.y + 0.5) / e.height) ?? CLEAR;
      }
    }
    return CLEAR;
  });
  cache.set(key, png);
  return png;
}
