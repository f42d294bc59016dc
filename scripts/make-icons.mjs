// Draws the toolbar icons (a key on a rounded square) as PNGs into public/icons/.
// Run once after changing the design: `node scripts/make-icons.mjs`. The PNGs are committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1).
const inRoundedSquare = (x, y, r = 0.2) => {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inKey = (x, y) => {
  const ring = Math.hypot(x - 0.32, y - 0.5);
  if (ring <= 0.19 && ring >= 0.085) return true;
  if (x >= 0.48 && x <= 0.86 && y >= 0.455 && y <= 0.545) return true; // shaft
  if (x >= 0.68 && x <= 0.745 && y >= 0.545 && y <= 0.66) return true; // tooth
  if (x >= 0.79 && x <= 0.86 && y >= 0.545 && y <= 0.7) return true; // tooth
  return false;
};

function draw(size, bg, fg) {
  const out = Buffer.alloc(size * size * 4);
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let keyCover = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          if (inRoundedSquare(x, y)) {
            cover++;
            if (inKey(x, y)) keyCover++;
          }
        }
      }
      const a = cover / (ss * ss);
      const k = cover ? keyCover / cover : 0;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round(bg[c] * (1 - k) + fg[c] * k);
      out[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, out);
}

mkdirSync('public/icons', { recursive: true });
for (const size of [16, 32, 48, 128]) {
  writeFileSync(`public/icons/icon-${size}.png`, draw(size, [69, 60, 144], [255, 255, 255]));
  writeFileSync(`public/icons/icon-off-${size}.png`, draw(size, [200, 200, 204], [110, 110, 116]));
}
console.log('icons written to public/icons');
