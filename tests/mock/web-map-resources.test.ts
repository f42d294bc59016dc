// The mock's resources for real web-map libraries (the examples in examples/): labelled raster
// tiles, WMTS capabilities, and the Vector Tile API's style, sprite, glyphs and tiles. Each binary
// format is decoded here with an independent decoder (Node's zlib for PNG, @mapbox/vector-tile and
// pbf for the protobufs) to prove the mock's encoders produce what clients can read.
import { request } from 'node:https';
import { inflateSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader as Pbf } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOsApiMock, type OsApiMock } from './os-api-mock';

const KEY = 'WEBMAPkey0000000000000000001';

interface Res {
  status: number;
  type: string;
  body: Buffer;
}

function get(mock: OsApiMock, path: string, headers: Record<string, string> = { key: KEY }): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: mock.port,
        path,
        servername: 'api.os.uk',
        rejectUnauthorized: false,
        agent: false,
        headers: { host: 'api.os.uk', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Decode an 8-bit RGB or RGBA PNG with no interlace and filter type 0 on every row (what the mock writes). */
function decodePng(png: Buffer): {
  width: number;
  height: number;
  channels: number;
  pixel: (x: number, y: number) => number[];
} {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.subarray(off + 4, off + 8).toString('ascii');
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = data[9] === 6 ? 4 : 3;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * channels;
  return {
    width,
    height,
    channels,
    pixel: (x, y) => [...raw.subarray(y * stride + 1 + x * channels, y * stride + 1 + (x + 1) * channels)],
  };
}

interface Glyph {
  id: number;
  bitmap?: Buffer;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

/** glyphs.proto, read the way MapLibre's parse_glyph_pbf.ts reads it. */
function decodeGlyphs(buf: Buffer): { name: string; range: string; glyphs: Glyph[] }[] {
  const stacks: { name: string; range: string; glyphs: Glyph[] }[] = [];
  new Pbf(buf).readFields((tag, list, pbf) => {
    if (tag !== 1 || !pbf) return;
    const stack = { name: '', range: '', glyphs: [] as Glyph[] };
    pbf.readMessage((t, s, p) => {
      if (!p) return;
      if (t === 1) s.name = p.readString();
      else if (t === 2) s.range = p.readString();
      else if (t === 3) {
        const g: Glyph = { id: 0, width: 0, height: 0, left: 0, top: 0, advance: 0 };
        p.readMessage((gt, gg, gp) => {
          if (!gp) return;
          if (gt === 1) gg.id = gp.readVarint();
          else if (gt === 2) gg.bitmap = Buffer.from(gp.readBytes());
          else if (gt === 3) gg.width = gp.readVarint();
          else if (gt === 4) gg.height = gp.readVarint();
          else if (gt === 5) gg.left = gp.readSVarint();
          else if (gt === 6) gg.top = gp.readSVarint();
          else if (gt === 7) gg.advance = gp.readVarint();
        }, g);
        s.glyphs.push(g);
      }
    }, stack);
    list.push(stack);
  }, stacks);
  return stacks;
}

let mock: OsApiMock;

beforeAll(async () => {
  mock = await startOsApiMock({ projects: [{ key: KEY, plan: 'live' }] });
});

afterAll(async () => {
  await mock?.close();
});

describe('raster tiles', () => {
  it('are labelled: the layer and z/x/y are written in dark pixels in the middle of the tile', async () => {
    const r = await get(mock, '/maps/raster/v1/zxy/Road_3857/7/63/42.png');
    expect([r.status, r.type]).toEqual([200, 'image/png']);
    const img = decodePng(r.body);
    expect([img.width, img.height]).toEqual([256, 256]);
    const background = img.pixel(20, 20);
    const dark = (p: number[]) => p.reduce((a, b) => a + b, 0) < background.reduce((a, b) => a + b, 0) - 300;
    let inkInMiddle = 0;
    let inkElsewhere = 0;
    for (let y = 1; y < 255; y++) {
      for (let x = 1; x < 255; x++) {
        if (!dark(img.pixel(x, y))) continue;
        if (y > 90 && y < 170) inkInMiddle++;
        else inkElsewhere++;
      }
    }
    expect(inkInMiddle).toBeGreaterThan(300);
    expect(inkElsewhere).toBe(0);
    // Different coordinates give different pictures.
    const other = await get(mock, '/maps/raster/v1/zxy/Road_3857/7/63/43.png');
    expect(other.body.equals(r.body)).toBe(false);
  });

  it('WMTS GetTile for EPSG:27700 is labelled with z/col/row too, and needs a credential', async () => {
    const path =
      '/maps/raster/v1/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=Road_27700&style=default&tileMatrixSet=EPSG:27700&tileMatrix=EPSG:27700:3&tileRow=30&tileCol=20&format=image/png';
    const r = await get(mock, path);
    expect([r.status, r.type]).toEqual([200, 'image/png']);
    expect(decodePng(r.body).width).toBe(256);
    expect((await get(mock, path, {})).status).toBe(401);
  });
});

describe('Vector Tile API', () => {
  const VTS = '/maps/vector/v1/vts';

  it('the style is a v8 style whose layers use the tile source layers and only OS fonts', async () => {
    const r = await get(mock, `${VTS}/resources/styles?srs=3857`);
    expect(r.status).toBe(200);
    const style = JSON.parse(r.body.toString()) as {
      version: number;
      sprite: string;
      glyphs: string;
      sources: Record<string, { url: string }>;
      layers: { type: string; source?: string; 'source-layer'?: string; layout?: Record<string, unknown> }[];
    };
    expect(style.version).toBe(8);
    expect(style.sprite).toBe('https://api.os.uk/maps/vector/v1/vts/resources/sprites/sprite');
    expect(style.glyphs).toBe('https://api.os.uk/maps/vector/v1/vts/resources/fonts/{fontstack}/{range}.pbf');
    expect(style.sources).toEqual({ esri: { type: 'vector', url: 'https://api.os.uk/maps/vector/v1/vts' } });
    const sourceLayers = new Set(style.layers.flatMap((l) => (l['source-layer'] ? [l['source-layer']] : [])));
    expect([...sourceLayers].sort()).toEqual(['land', 'places', 'roads', 'tile_boundary', 'tile_label', 'water']);
    const fonts = style.layers.flatMap((l) => (l.layout?.['text-font'] as string[] | undefined) ?? []);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/^Source Sans Pro /);
    // With ?key= the URLs echo it, as OS's do; srs is never added.
    const q = JSON.parse((await get(mock, `${VTS}/resources/styles?key=${KEY}&srs=3857`, {})).body.toString()) as {
      sprite: string;
      glyphs: string;
      sources: { esri: { url: string } };
    };
    expect(q.sprite).toBe(`https://api.os.uk/maps/vector/v1/vts/resources/sprites/sprite?key=${KEY}`);
    expect(q.glyphs).toBe(`https://api.os.uk/maps/vector/v1/vts/resources/fonts/{fontstack}/{range}.pbf?key=${KEY}`);
    expect(q.sources.esri.url).toBe(`https://api.os.uk/maps/vector/v1/vts?key=${KEY}`);
  });

  it('serves valid vector tiles ({z}/{y}/{x}) that decode with @mapbox/vector-tile', async () => {
    const r = await get(mock, `${VTS}/tile/8/85/127.pbf?srs=3857`);
    expect([r.status, r.type]).toEqual([200, 'application/octet-stream']);
    const tile = new VectorTile(new Pbf(r.body));
    expect(Object.keys(tile.layers).sort()).toEqual([
      'land',
      'places',
      'roads',
      'tile_boundary',
      'tile_label',
      'water',
    ]);
    const label = tile.layers['tile_label']?.feature(0);
    expect(label?.properties).toEqual({ label: '8/127/85' });
    expect(label?.type).toBe(1);
    expect(label?.loadGeometry()).toEqual([[{ x: 2048, y: 2048 }]]);
    const land = tile.layers['land']?.feature(0);
    expect(land?.type).toBe(3);
    expect(tile.layers['land']?.extent).toBe(4096);
    const roads = tile.layers['roads'];
    expect(roads?.length).toBe(2);
    expect(roads?.feature(0).properties['class']).toBe('A Road');
    expect(roads?.feature(0).type).toBe(2);
    // Exterior rings are clockwise in tile coordinates (positive area), as the spec requires.
    const ring = tile.layers['water']?.feature(0).loadGeometry()[0] ?? [];
    let area = 0;
    for (let i = 0; i < ring.length - 1; i++)
      area += (ring[i]?.x ?? 0) * (ring[i + 1]?.y ?? 0) - (ring[i + 1]?.x ?? 0) * (ring[i]?.y ?? 0);
    expect(area).toBeGreaterThan(0);
    // The 27700 tile matrix set (the default srs) is served too.
    expect((await get(mock, `${VTS}/tile/3/4/2.pbf`)).status).toBe(200);
  });

  it('refuses tiles outside the tile matrix and zooms beyond the metadata lods', async () => {
    expect((await get(mock, `${VTS}/tile/17/0/0.pbf?srs=3857`)).status).toBe(400);
    expect((await get(mock, `${VTS}/tile/2/4/0.pbf?srs=3857`)).status).toBe(400);
    expect((await get(mock, `${VTS}/tile/0/0/2.pbf`)).status).toBe(400);
    expect((await get(mock, `${VTS}/tile/0/1/1.pbf`)).status).toBe(200);
  });

  it('serves sprite JSON and PNG at 1x and 2x, with matching sizes', async () => {
    for (const [suffix, ratio] of [
      ['', 1],
      ['@2x', 2],
    ] as const) {
      const json = await get(mock, `${VTS}/resources/sprites/sprite${suffix}.json?srs=3857`);
      expect(json.status).toBe(200);
      const index = JSON.parse(json.body.toString()) as Record<
        string,
        { x: number; y: number; width: number; height: number; pixelRatio: number }
      >;
      expect(Object.keys(index)).toContain('marker');
      const png = await get(mock, `${VTS}/resources/sprites/sprite${suffix}.png`);
      expect([png.status, png.type]).toEqual([200, 'image/png']);
      const sheet = decodePng(png.body);
      expect(sheet.channels).toBe(4);
      for (const icon of Object.values(index)) {
        expect(icon.pixelRatio).toBe(ratio);
        expect(icon.x + icon.width).toBeLessThanOrEqual(sheet.width);
        expect(icon.y + icon.height).toBeLessThanOrEqual(sheet.height);
        // Opaque in the middle, transparent in the corner.
        expect(sheet.pixel(icon.x + icon.width / 2, icon.y + icon.height / 2)[3]).toBe(255);
        expect(sheet.pixel(icon.x, icon.y)[3]).toBe(0);
      }
    }
  });

  it('serves glyph PBFs for OS fonts with SDF bitmaps of the right size, and 404 for other fonts', async () => {
    const r = await get(mock, `${VTS}/resources/fonts/Source%20Sans%20Pro%20Regular/0-255.pbf?srs=3857`);
    expect(r.status).toBe(200);
    const [stack, ...more] = decodeGlyphs(r.body);
    expect(more).toEqual([]);
    expect(stack?.name).toBe('Source Sans Pro Regular');
    expect(stack?.range).toBe('0-255');
    const ids = stack?.glyphs.map((g) => g.id) ?? [];
    for (const ch of '0123456789/ ABCXYZabcxyz') expect(ids).toContain(ch.charCodeAt(0));
    for (const g of stack?.glyphs ?? []) {
      expect(g.advance).toBeGreaterThan(0);
      if (g.width === 0) expect(g.bitmap).toBeUndefined();
      // MapLibre reads the bitmap as (width + 6) × (height + 6): a 3 px border on each side.
      else expect(g.bitmap?.length).toBe((g.width + 6) * (g.height + 6));
    }
    // The SDF is high (>= 192, the edge) inside the ink and low outside.
    const one = stack?.glyphs.find((g) => g.id === '1'.charCodeAt(0));
    const bmp = one?.bitmap ?? Buffer.alloc(0);
    const w = (one?.width ?? 0) + 6;
    expect(bmp[0]).toBe(0);
    expect(bmp[Math.floor(((one?.height ?? 0) + 6) / 2) * w + Math.floor(w / 2)]).toBeGreaterThanOrEqual(192);

    const stackOf2 = await get(
      mock,
      `${VTS}/resources/fonts/Source%20Sans%20Pro%20Bold,Arial%20Unicode%20MS%20Regular/256-511.pbf`,
    );
    expect(stackOf2.status).toBe(200);
    expect(decodeGlyphs(stackOf2.body)[0]?.glyphs).toEqual([]);

    expect((await get(mock, `${VTS}/resources/fonts/Open%20Sans%20Regular/0-255.pbf`)).status).toBe(404);
    expect((await get(mock, `${VTS}/resources/fonts/Source%20Sans%20Pro%20Regular/0-200.pbf`)).status).toBe(404);
  });

  it('every resource needs a credential, like the real service', async () => {
    for (const path of [
      VTS,
      `${VTS}/resources/styles`,
      `${VTS}/resources/sprites/sprite.json`,
      `${VTS}/resources/sprites/sprite.png`,
      `${VTS}/resources/fonts/Source%20Sans%20Pro%20Regular/0-255.pbf`,
      `${VTS}/tile/7/42/63.pbf?srs=3857`,
    ]) {
      const r = await get(mock, path, {});
      expect([path, r.status]).toEqual([path, 401]);
    }
  });
});
