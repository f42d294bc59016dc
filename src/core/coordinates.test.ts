import { describe, expect, it } from 'vitest';
import { geometryToLonLat, lonLatToBng, toLonLat } from './coordinates';

/** Metres between two WGS84 points (haversine). */
function metres(a: [number, number], b: [number, number]): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

describe('coordinate conversion', () => {
  it('British National Grid → WGS84 within the Helmert transformation’s few metres', () => {
    // OS's worked example ("A guide to coordinate systems in Great Britain", Caister water tower):
    // ETRS89 52°39′28.8282″N 1°42′57.8663″E is OSGB36 651409.792 E 313177.448 N (with OSTN15).
    // ETRS89 and WGS84 agree to well under a metre for a web map.
    const lonLat = toLonLat('EPSG:27700', [651409.792, 313177.448])!;
    expect(metres(lonLat, [1 + 42 / 60 + 57.8663 / 3600, 52 + 39 / 60 + 28.8282 / 3600])).toBeLessThan(10);
  });

  it('round-trips BNG → WGS84 → BNG to the centimetre', () => {
    for (const p of [
      [442405, 112143],
      [216600, 771200],
      [651409.792, 313177.448],
    ] as [number, number][]) {
      const back = lonLatToBng(toLonLat('EPSG:27700', p)!);
      expect(Math.hypot(back[0] - p[0], back[1] - p[1])).toBeLessThan(0.01);
    }
  });

  it('reads CRS84 as lon,lat, EPSG:4326 as lat,lon and converts Web Mercator', () => {
    expect(toLonLat('CRS84', [-1.47, 50.93])).toEqual([-1.47, 50.93]);
    expect(toLonLat('EPSG:4326', [50.93, -1.47])).toEqual([-1.47, 50.93]);
    const m = toLonLat('EPSG:3857', [-163_640, 6_607_000])!;
    expect(m[0]).toBeCloseTo(-1.47, 2);
    expect(m[1]).toBeCloseTo(50.93, 1);
  });

  it('refuses positions that land nowhere on Earth', () => {
    expect(toLonLat('CRS84', [500, 20])).toBeNull();
    expect(toLonLat('EPSG:4326', [Number.NaN, 1])).toBeNull();
  });

  it('converts whole geometries, and gives null if any position fails', () => {
    const g = geometryToLonLat('EPSG:27700', {
      type: 'Polygon',
      coordinates: [
        [
          [437292, 115541],
          [437302, 115541],
          [437302, 115551],
          [437292, 115541],
        ],
      ],
    });
    expect(g?.type).toBe('Polygon');
    const ring = (g?.coordinates as [number, number][][])[0]!;
    expect(ring).toHaveLength(4);
    expect(ring[0]![0]).toBeCloseTo(-1.47, 1);
    expect(
      geometryToLonLat('CRS84', {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [999, 0],
        ],
      }),
    ).toBeNull();
  });
});
