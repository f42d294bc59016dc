import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyOsApiRequest,
  type OsApi,
  mayBePremium,
  OS_API_LABELS,
  OTHER_LABEL,
  REDACTED,
  redactUrl,
} from './os-api-classify';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const H = 'https://api.os.uk';

describe('classifyOsApiRequest', () => {
  it.each([
    [`${H}/maps/raster/v1/zxy/Road_3857/7/63/42.png?key=${KEY}`, 'maps-raster'],
    [`${H}/maps/raster/v1/wmts?service=WMTS&request=GetTile`, 'maps-raster'],
    [`${H}/maps/vector/v1/vts/tile/7/42/63.pbf?srs=3857`, 'vector-tiles'],
    [`${H}/maps/vector/v1/vts/resources/styles`, 'vector-tiles'],
    [`${H}/maps/vector/v1/vts`, 'vector-tiles'],
    [`${H}/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/7/42/63`, 'ngd-tiles'],
    [`${H}/features/ngd/ofa/v1/collections/bld-fts-building-1/items?limit=10`, 'ngd-features'],
    [`${H}/features/v1/wfs?service=WFS&request=GetCapabilities`, 'features-wfs'],
    [`${H}/search/names/v1/find?query=Southampton`, 'names'],
    [`${H}/search/places/v1/postcode?postcode=SO16`, 'places'],
    [`${H}/search/links/v1/identifiers/123`, 'linked-ids'],
    [`${H}/downloads/v1/products`, 'downloads'],
    [`${H}/oauth2/token/v1`, 'oauth'],
    ['/search/places/v1/find?query=x', 'places'], // a bare path is taken as on api.os.uk
    [`${H}/maps/raster/v1/../../../search/places/v1/find`, 'places'], // resolved like the server would
    [`${H}/search/places/v1/`, 'places'],
    ['https://osdatahubapi.os.uk/OSMapsAPI/wmts/v1?service=WMTS', 'maps-raster'], // legacy host
    ['https://osdatahubapi.os.uk/OSVectorTileAPI/vts/v1/tile/1/2/3.pbf', 'vector-tiles'],
    ['https://osdatahubapi.os.uk/OSFeaturesAPI/wfs/v1', 'features-wfs'],
    [`${H}/search/match/v1/match?query=x`, 'match-cleanse'], // withdrawn, but still named (its failures are explained)
    [`${H}/positioning/osnet/v1/stations`, 'os-net'],
    [`${H}/positioning/osnet/v1/rinex/2024/1`, 'os-net'],
    [`${H}/positioning/osnet/v1x`, null],
    ['https://osdatahubapi.os.uk/OSLIDSAPI/v1/identifiers/1', 'linked-ids'], // legacy paths of OS's demo history
    ['https://osdatahubapi.os.uk/omse/vts/tile/1/2/3.pbf', 'vector-tiles'],
    ['https://osdatahubapi.os.uk/omse/wfs?service=WFS', 'features-wfs'],
    ['https://osdatahubapi.os.uk/omse/wmts?service=WMTS', 'maps-raster'],
    ['https://api.os.uk/omse/wfs', null], // legacy paths only on the legacy host
    [`${H}/search/names/v1x/find`, null], // whole segments only
    [`${H}/`, null],
    ['https://api.os.uk.evil.test/search/names/v1/find', null],
    ['https://example.com/search/names/v1/find', null],
    ['//example.com/search/names/v1/find', null],
    ['ftp://api.os.uk/search/names/v1/find', null],
    ['http://[::1', null], // unparseable
    ['', null],
  ] as [string, OsApi | 'oauth' | null][])('%s → %s', (url, api) => {
    const result = classifyOsApiRequest(url);
    expect(result.api).toBe(api);
    expect(result.label).toBe(api === null ? OTHER_LABEL : OS_API_LABELS[api]);
  });

  it('labels read like the OS Data Hub', () => {
    expect(classifyOsApiRequest(`${H}/maps/raster/v1/wmts`).label).toBe('OS Maps API');
    expect(classifyOsApiRequest(`${H}/search/links/v1/x`).label).toBe('OS Linked Identifiers API');
  });

  it('never throws and always gives a label (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })), (url) => {
        const r = classifyOsApiRequest(url);
        expect(typeof r.label).toBe('string');
        expect(r.label.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('redactUrl', () => {
  it.each([
    [`${H}/a?key=${KEY}`, `${H}/a?key=${REDACTED}`],
    [`${H}/a?srs=3857&key=${KEY}&x=1`, `${H}/a?srs=3857&key=${REDACTED}&x=1`],
    [`${H}/a?KEY=${KEY}`, `${H}/a?KEY=${REDACTED}`],
    [`${H}/a?k%65y=${KEY}`, `${H}/a?k%65y=${REDACTED}`],
    [`${H}/a?key=${KEY}&key=${KEY}`, `${H}/a?key=${REDACTED}&key=${REDACTED}`],
    [`${H}/a?key=`, `${H}/a?key=`], // empty: nothing secret, and it explains a missing-key 401
    [`${H}/a?monkey=banana&keys=1`, `${H}/a?monkey=banana&keys=1`],
    [`/a?key=${KEY}#x`, `/a?key=${REDACTED}#x`],
    [`${H}/a#key=${KEY}`, `${H}/a#key=${REDACTED}`],
    [`https://user:${KEY}@api.os.uk/a`, `https://api.os.uk/a`],
    [`${H}/a?k%zzy=1&key=${KEY}`, `${H}/a?k%zzy=1&key=${REDACTED}`], // malformed escapes do not stop it
    ['', ''],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('never throws and never leaves a key value behind (property)', () => {
    const keyArb = fc.stringMatching(/^[A-Za-z0-9]{16,40}$/);
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        keyArb,
        fc.constantFrom('key', 'Key', 'KEY', 'k%65y'),
        (before, after, key, name) => {
          fc.pre(!before.includes(key) && !after.includes(key));
          // The key parameter always starts a query parameter; `before` must not open a fragment.
          const prefix = before.replace(/[#?]/g, '');
          const url = `${H}/${prefix}?x=${encodeURIComponent(before)}&${name}=${key}&${encodeURIComponent(after)}`;
          const out = redactUrl(url);
          expect(out).not.toContain(key);
          expect(typeof redactUrl(before + after)).toBe('string');
        },
      ),
    );
  });
});

describe('mayBePremium', () => {
  it.each([
    [`${H}/maps/raster/v1/zxy/Road_3857/17/1/2.png`, true],
    [`${H}/maps/raster/v1/zxy/Road_3857/16/1/2.png`, false],
    [`${H}/maps/raster/v1/zxy/Leisure_27700/6/1/2.png`, true],
    // 27700: Road, Outdoor and Light from zoom 10, Leisure above zoom 5 (docs/os-apis.md §0).
    [`${H}/maps/raster/v1/zxy/Road_27700/9/1/2.png`, false],
    [`${H}/maps/raster/v1/zxy/Road_27700/10/1/2.png`, true],
    [`${H}/maps/raster/v1/zxy/Outdoor_27700/13/1/2.png`, true],
    [`${H}/maps/raster/v1/zxy/Light_27700/10/1/2.png`, true],
    [`${H}/maps/raster/v1/zxy/Leisure_27700/5/1/2.png`, false],
    // Layer names with a space, as OS's own demos write them (encoded or not).
    [`${H}/maps/raster/v1/zxy/Light%203857/17/1/2.png`, true],
    [`${H}/maps/raster/v1/zxy/Light 3857/16/1/2.png`, false],
    [`${H}/maps/raster/v1/wmts?request=GetTile&layer=Road%2027700&tileMatrix=EPSG:27700:11`, true],
    [`${H}/maps/raster/v1/wmts?request=GetTile&layer=Road+27700&tileMatrix=9`, false],
    // OS NGD API – Tiles: 3857 zoom 16–19, 27700 zoom 12–15.
    [`${H}/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/15/1/2`, false],
    [`${H}/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/16/1/2`, true],
    [`${H}/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/27700/11/1/2`, false],
    [`${H}/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/27700/12/1/2`, true],
    [`${H}/maps/vector/v1/vts/tile/18/1/2.pbf`, false],
    [
      `${H}/maps/raster/v1/wmts?request=GetTile&layer=Outdoor_3857&tileMatrixSet=EPSG:3857&tileMatrix=EPSG:3857:18`,
      true,
    ],
    [`${H}/maps/raster/v1/wmts?request=GetTile&LAYER=Outdoor_3857&TILEMATRIX=12`, false],
    [`${H}/search/places/v1/find?zoom=20`, false],
    ['not a url at all %%', false],
  ])('%s → %s', (url, expected) => {
    expect(mayBePremium(url)).toBe(expected);
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof mayBePremium(`${H}/maps/raster/v1/${s}`) === 'boolean'));
  });
});
