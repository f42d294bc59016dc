import { describe, expect, it } from 'vitest';
import { fetchSnippet, jsonPath, redactKeysInText, sniffDocument, viewerCovers, withoutKey } from './viewer-document';
import { crsFromName, featuresOf, pagingOf } from './viewer-features';

const NGD = 'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-1/items';

describe('response type detection', () => {
  it('tells JSON, XML and plain text apart, and never throws', () => {
    expect(sniffDocument(' {"a":1}\n')).toEqual({ kind: 'json', value: { a: 1 } });
    expect(sniffDocument('[1,2]')).toEqual({ kind: 'json', value: [1, 2] });
    expect(sniffDocument('<?xml version="1.0"?><a/>').kind).toBe('xml');
    expect(sniffDocument('{not json').kind).toBe('text');
    expect(sniffDocument('hello').kind).toBe('text');
    expect(sniffDocument(undefined as unknown as string)).toEqual({ kind: 'text', text: '' });
  });

  it('covers only https://api.os.uk/features and /search documents', () => {
    expect(viewerCovers(NGD)).toBe(true);
    expect(viewerCovers('https://api.os.uk/search/places/v1/postcode?postcode=SO16')).toBe(true);
    expect(viewerCovers('https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png')).toBe(false);
    expect(viewerCovers('https://api.os.uk:8443/features/x')).toBe(false);
    expect(viewerCovers('http://api.os.uk/features/x')).toBe(false);
    expect(viewerCovers('not a url')).toBe(false);
  });

  it('names CRSs the way OS writes them', () => {
    expect(crsFromName('http://www.opengis.net/def/crs/EPSG/0/27700')).toBe('EPSG:27700');
    expect(crsFromName('urn:ogc:def:crs:EPSG::27700')).toBe('EPSG:27700');
    expect(crsFromName('http://www.opengis.net/def/crs/OGC/1.3/CRS84')).toBe('CRS84');
    expect(crsFromName('EPSG:4326')).toBe('EPSG:4326');
    expect(crsFromName('WGS84')).toBe('CRS84');
    expect(crsFromName('EPSG:3857')).toBe('EPSG:3857');
    expect(crsFromName('EPSG:2770')).toBeUndefined();
    expect(crsFromName('')).toBeUndefined();
  });
});

describe('features', () => {
  const point = (id: string, x: number, y: number) => ({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [x, y] },
    properties: { description: `d${id}` },
  });

  it('reads an NGD FeatureCollection in CRS84, or in the crs the request asked for', () => {
    const body = {
      type: 'FeatureCollection',
      features: [point('a', -1.47, 50.93), { type: 'Feature', geometry: null, properties: {} }],
    };
    const set = featuresOf(body, NGD)!;
    expect(set.crs).toBe('CRS84');
    expect(set.features).toHaveLength(1); // a feature without geometry is not drawn
    expect(set.features[0]).toMatchObject({
      title: 'da',
      geometry: { type: 'Point', coordinates: [-1.47, 50.93] },
      properties: { id: 'a' },
    });
    expect(featuresOf(body, `${NGD}?crs=http://www.opengis.net/def/crs/EPSG/0/27700`)!.crs).toBe('EPSG:27700');
  });

  it('reads WFS GeoJSON in British National Grid from its crs member, or by default', () => {
    const body = {
      type: 'FeatureCollection',
      features: [point('t.0', 437292, 115541)],
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
    };
    expect(featuresOf(body, 'https://api.os.uk/features/v1/wfs?service=WFS')!.crs).toBe('EPSG:27700');
    const bare = { type: body.type, features: body.features };
    expect(featuresOf(bare, 'https://api.os.uk/features/v1/wfs?service=WFS')!.crs).toBe('EPSG:27700');
    expect(featuresOf(bare, 'https://api.os.uk/features/v1/wfs?srsName=EPSG:4326')!.crs).toBe('EPSG:4326');
  });

  it('reads OS Names results (GAZETTEER_ENTRY, GEOMETRY_X/Y in BNG)', () => {
    const body = {
      header: { totalresults: 1 },
      results: [{ GAZETTEER_ENTRY: { ID: 'x', NAME1: 'Southampton', GEOMETRY_X: 442405, GEOMETRY_Y: 112143 } }],
    };
    expect(featuresOf(body, 'https://api.os.uk/search/names/v1/find?query=s')).toEqual({
      source: 'OS Names results',
      crs: 'EPSG:27700',
      features: [
        {
          title: 'Southampton',
          geometry: { type: 'Point', coordinates: [442405, 112143] },
          properties: body.results[0]!.GAZETTEER_ENTRY,
        },
      ],
    });
  });

  it('reads OS Places results in BNG (X/Y_COORDINATE) and in WGS84 (LAT/LNG)', () => {
    const bng = {
      header: { output_srs: 'EPSG:27700' },
      results: [{ DPA: { UPRN: '1', ADDRESS: '1 HIGH ST', X_COORDINATE: 437292.0, Y_COORDINATE: 115541.0 } }],
    };
    expect(featuresOf(bng, 'https://api.os.uk/search/places/v1/postcode')).toMatchObject({
      source: 'OS Places results',
      crs: 'EPSG:27700',
      features: [{ title: '1 HIGH ST', geometry: { coordinates: [437292, 115541] } }],
    });
    const wgs = { header: { output_srs: 'WGS84' }, results: [{ LPI: { UPRN: '2', LAT: 50.9378, LNG: -1.4702 } }] };
    expect(featuresOf(wgs, 'https://api.os.uk/search/places/v1/postcode')).toMatchObject({
      crs: 'CRS84',
      features: [{ title: '2', geometry: { coordinates: [-1.4702, 50.9378] } }],
    });
  });

  it('finds nothing to draw in errors, empty results and other JSON', () => {
    expect(featuresOf({ header: { totalresults: 0 } }, 'https://api.os.uk/search/names/v1/find')).toBeNull();
    expect(featuresOf({ fault: { faultstring: 'x' } }, NGD)).toBeNull();
    expect(featuresOf({ type: 'FeatureCollection', features: [] }, NGD)).toBeNull();
    expect(featuresOf([1, 2], NGD)).toBeNull();
    expect(featuresOf({ type: 'Feature', geometry: { type: 'Point', coordinates: ['a', 1] } }, NGD)).toBeNull();
  });
});

describe('paging', () => {
  it('takes next/prev from OGC links, on the OS API host only', () => {
    const body = {
      numberReturned: 10,
      links: [
        { rel: 'self', href: `${NGD}?offset=10` },
        { rel: 'next', href: `${NGD}?offset=20` },
        { rel: 'prev', href: `${NGD}?offset=0` },
      ],
    };
    expect(pagingOf(body, `${NGD}?offset=10`)).toEqual({
      next: `${NGD}?offset=20`,
      prev: `${NGD}?offset=0`,
      summary: 'Features 11–20',
    });
    expect(pagingOf({ links: [{ rel: 'next', href: 'https://evil.test/x' }] }, NGD)).toEqual({});
  });

  it('computes Names/Places pages from the header offset', () => {
    const url = 'https://api.os.uk/search/names/v1/find?query=a&maxresults=2';
    const results = [{}, {}];
    expect(pagingOf({ header: { offset: 0, maxresults: 2, totalresults: 5 }, results }, url)).toEqual({
      summary: 'Results 1–2 of 5',
      next: `${url}&offset=2`,
    });
    const last = pagingOf({ header: { offset: 4, maxresults: 2, totalresults: 5 }, results: [{}] }, `${url}&offset=4`);
    expect(last).toEqual({ summary: 'Results 5–5 of 5', prev: `${url}&offset=2` });
    expect(pagingOf({ header: { offset: 0, totalresults: 0 } }, url)).toEqual({ summary: 'No results' });
  });
});

describe('copy helpers and redaction', () => {
  it('Copy as fetch has no key at all', () => {
    const code = fetchSnippet(`${NGD}?limit=5&key=SECRET123&KEY=x#frag`, 'json');
    expect(code).toContain(`fetch("${NGD}?limit=5")`);
    expect(code).not.toMatch(/SECRET|key=/);
    expect(withoutKey('nope')).toBe('');
  });

  it('redacts key values in URLs inside a body', () => {
    expect(redactKeysInText('{"href":"https://api.os.uk/x?offset=1&key=ABC123"}')).toBe(
      '{"href":"https://api.os.uk/x?offset=1&key=…redacted…"}',
    );
    expect(redactKeysInText('a?key=Z&b=1')).toBe('a?key=…redacted…&b=1');
    expect(redactKeysInText('monkey=1')).toBe('monkey=1');
  });

  it('writes JavaScript-style paths', () => {
    expect(jsonPath([])).toBe('(root)');
    expect(jsonPath(['features', 0, 'properties', 'x-y'])).toBe('features[0].properties["x-y"]');
  });
});
