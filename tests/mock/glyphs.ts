// Glyph ranges for the Vector Tile API's fonts endpoint: the `{fontstack}/{start}-{end}.pbf`
// protobufs that MapLibre/Mapbox GL draw labels with (glyphs.proto: glyphs → fontstack →
// glyph{id, bitmap, width, height, left, top, advance}). Each bitmap is a signed distance field
// (SDF) of the glyph at 24 px with a 3 px border, made here from the mock's 5×7 bitmap font, the
// same way TinySDF and node-fontnik encode theirs (radius 8, cutoff 0.25).
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './bitmap-font';
import { ProtoWriter } from './protobuf';

/** Glyph box at 24 px: capitals 17 px tall (like a real font's cap height), 12 px wide. */
const WIDTH = 12;
const HEIGHT = 17;
const BORDER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
const ADVANCE = WIDTH + 3;
/** MapLibre places server glyphs `top` below an origin 27.5 px above the baseline (glyph_manager.ts). */
const TOP = HEIGHT - 27;

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function distanceToRect(px: number, py: number, r: Rect): number {
  const dx = Math.max(r.x0 - px, 0, px - r.x1);
  const dy = Math.max(r.y0 - py, 0, py - r.y1);
  return Math.hypot(dx, dy);
}

/** SDF bitmap of one character, (WIDTH + 6) × (HEIGHT + 6) bytes, or null for an empty glyph. */
function sdf(rows: boolean[][]): Buffer | null {
  const cw = WIDTH / GLYPH_WIDTH;
  const ch = HEIGHT / GLYPH_HEIGHT;
  const ink: Rect[] = [];
  const blank: Rect[] = [];
  rows.forEach((row, j) =>
    row.forEach((on, i) => (on ? ink : blank).push({ x0: i * cw, y0: j * ch, x1: (i + 1) * cw, y1: (j + 1) * ch })),
  );
  if (!ink.length) return null;
  const w = WIDTH + 2 * BORDER;
  const h = HEIGHT + 2 * BORDER;
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5 - BORDER;
      const py = y + 0.5 - BORDER;
      const inside = ink.some((r) => px >= r.x0 && px < r.x1 && py >= r.y0 && py < r.y1);
      let d: number;
      if (inside) {
        // Distance to the nearest blank cell or to the edge of the glyph box.
        d = -Math.min(px, WIDTH - px, py, HEIGHT - py, ...blank.map((r) => distanceToRect(px, py, r)));
      } else {
        d = Math.min(...ink.map((r) => distanceToRect(px, py, r)));
      }
      out[y * w + x] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
    }
  }
  return out;
}

const GLYPH_CACHE = new Map<number, Buffer | null>();

function glyph(codePoint: number): Buffer | null {
  if (GLYPH_CACHE.has(codePoint)) return GLYPH_CACHE.get(codePoint) ?? null;
  const rows = glyphRows(String.fromCodePoint(codePoint));
  let encoded: Buffer | null = null;
  if (rows) {
    const bitmap = sdf(rows);
    const g = new ProtoWriter().uint(1, codePoint);
    // A space has no bitmap and a zero-size box, but still advances.
    if (bitmap) g.bytes(2, bitmap).uint(3, WIDTH).uint(4, HEIGHT);
    else g.uint(3, 0).uint(4, 0);
    encoded = g.sint(5, 1).sint(6, TOP).uint(7, ADVANCE).finish();
  }
  GLYPH_CACHE.set(codePoint, encoded);
  return encoded;
}

/**
 * The glyph PBF for `fontstack` and the range `start`–`end` (a block of 256 code points). Code
 * points the font lacks are left out, as a font server does; a range with none is still a valid
 * (empty) fontstack.
 */
export function glyphRange(fontstack: string, start: number, end: number): Buffer {
  const stack = new ProtoWriter().bytes(1, fontstack).bytes(2, `${start}-${end}`);
  for (let cp = start; cp <= end; cp++) {
    const g = glyph(cp);
    if (g) stack.bytes(3, g);
  }
  return new ProtoWriter().bytes(1, stack).finish();
}
