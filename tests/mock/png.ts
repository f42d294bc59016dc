// Minimal PNG encoder (truecolour, 8 bit, no interlace) so tile endpoints return real images
// that browsers decode, without an image library.
import { crc32, deflateSync } from 'node:zlib';

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
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A 256×256 tile whose colour is derived from (seed, z, x, y), with a darker 1 px border, so
 * screenshots show distinct tiles and a wrong tile is visible at a glance.
 */
export function tilePng(seed: string, z: number, x: number, y: number): Buffer {
  let h = 2166136261;
  for (const c of `${seed}/${z}/${x}/${y}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  const base: Rgb = [128 + (h & 0x7f), 128 + ((h >>> 8) & 0x7f), 128 + ((h >>> 16) & 0x7f)];
  const edge: Rgb = [base[0] - 96, base[1] - 96, base[2] - 96];
  return encodePng(256, 256, (px, py) => (px === 0 || py === 0 || px === 255 || py === 255 ? edge : base));
}

/** 1×1 transparent-looking (white) PNG for sprite sheets. */
export const ONE_PIXEL_PNG = encodePng(1, 1, () => [255, 255, 255]);
