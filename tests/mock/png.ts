// Minimal PNG encoder (truecolour, 8 bit, no interlace) so tile endpoints return real images
// that browsers decode, without an image library.
import { crc32, deflateSync } from 'node:zlib';
import { inkAt, textWidth } from './bitmap-font';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([len, typeAndData, crc]);
}

export type Rgb = readonly [number, number, number];

/** Encode a width×height image whose pixel colour is `pixel(x, y)`. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // bytes 10-12 (compression, filter, interlace) stay 0
  const stride = 1 + width * 3; // each scanline starts with filter type 0 (None)
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const o = y * stride + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Encode a width×height image with an alpha channel (colour type 6): `pixel(x, y)` is [r, g, b, a]. */
export function encodePngRgba(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const stride = 1 + width * 4;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * stride + 1 + x * 4;
      const [r, g, b, a] = pixel(x, y);
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export type Rgba = readonly [number, number, number, number];

// Tiles are requested again and again while a map is panned; encoding one costs a few ms.
const TILE_CACHE = new Map<string, Buffer>();
const TILE_CACHE_SIZE = 512;

/**
 * A 256×256 tile whose colour is derived from (seed, z, x, y), with a darker 1 px border and its
 * label written in the middle: the seed (the layer) above `z/x/y`, so a screenshot shows which
 * tile went where and a wrong tile is visible at a glance.
 */
export function tilePng(seed: string, z: number, x: number, y: number): Buffer {
  const id = `${seed}/${z}/${x}/${y}`;
  const cached = TILE_CACHE.get(id);
  if (cached) return cached;
  let h = 2166136261;
  for (const c of id) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  const base: Rgb = [160 + (h & 0x5f), 160 + ((h >>> 8) & 0x5f), 160 + ((h >>> 16) & 0x5f)];
  const edge: Rgb = [base[0] - 96, base[1] - 96, base[2] - 96];
  const ink: Rgb = [base[0] - 150, base[1] - 150, base[2] - 150];
  const coords = `${z}/${x}/${y}`;
  const big = [3, 2].find((s) => textWidth(coords, s) <= 240) ?? 1;
  const small = textWidth(seed, 2) <= 240 ? 2 : 1;
  const line1 = {
    text: seed,
    scale: small,
    left: Math.floor((256 - textWidth(seed, small)) / 2),
    top: 128 - 6 - 7 * small,
  };
  const line2 = { text: coords, scale: big, left: Math.floor((256 - textWidth(coords, big)) / 2), top: 128 + 2 };
  const png = encodePng(256, 256, (px, py) => {
    if (px === 0 || py === 0 || px === 255 || py === 255) return edge;
    for (const l of [line1, line2]) if (inkAt(l.text, l.scale, l.left, l.top, px, py)) return ink;
    return base;
  });
  if (TILE_CACHE.size >= TILE_CACHE_SIZE) TILE_CACHE.delete(TILE_CACHE.keys().next().value ?? '');
  TILE_CACHE.set(id, png);
  return png;
}

/** 1×1 transparent-looking (white) PNG. */
export const ONE_PIXEL_PNG = encodePng(1, 1, () => [255, 255, 255]);
