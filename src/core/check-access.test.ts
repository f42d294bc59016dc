import { describe, expect, it } from 'vitest';
import {
  ACCESS_CHECK_WARNING,
  ACCESS_PROBES,
  credentialSent,
  interpretProbe,
  pickNgdCollection,
  probeRequest,
} from './check-access';
import { classifyOsApiRequest, CURRENT_OS_APIS } from './os-api-classify';

// A realistic 32-character key and 28-character token, so the scrubbing is tested on real shapes.
const KEY = 'Zx9YwV8uT7sR6qP5oN4mL3kJ2iH1gF0e';
const TOKEN = 'Q7rT2uVw9XyZ3aBc4DeF5gHi6JkL';
const fault = (faultstring: string, errorcode: string): string =>
  JSON.stringify({ fault: { faultstring, detail: { errorcode } } });

describe('ACCESS_PROBES', () => {
  it('has one probe per current OS API, in catalogue order; withdrawn Match & Cleanse is not probed', () => {
    expect(ACCESS_PROBES.map((p) => p.api)).toEqual([...CURRENT_OS_APIS]);
    expect(ACCESS_PROBES.map((p) => p.api)).toContain('os-net');
    expect(ACCESS_PROBES.map((p) => p.api)).not.toContain('match-cleanse');
  });

  it('NGD Tiles asks for a tile inside the EPSG:3857 tile matrix set (zoom 6 or more), at an OpenData zoom', () => {
    const url = ACCESS_PROBES.find((p) => p.api === 'ngd-tiles')!.url;
    const [, zoom, row, col] = /\/tiles\/3857\/(\d+)\/(\d+)\/(\d+)$/.exec(url)!.map(Number);
    expect(zoom).toBeGreaterThanOrEqual(6);
    expect(zoom).toBeLessThan(16);
    // Over Great Britain: longitude -8..2, latitude 49.8..61 at that zoom.
    const lon = (col! / 2 ** zoom!) * 360 - 180;
    const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * row!) / 2 ** zoom!))) * 180) / Math.PI;
    expect(lon).toBeGreaterThan(-8);
    expect(lon).toBeLessThan(2);
    expect(lat).toBeGreaterThan(49.8);
    expect(lat).toBeLessThan(61);
  });

  it('NGD Features names no collection: it is found from the public list first', () => {
    const probe = ACCESS_PROBES.find((p) => p.api === 'ngd-features')!;
    expect(probe.discover?.url).toBe('https://api.os.uk/features/ngd/ofa/v1/collections');
    expect(probe.url).toContain('{collectionId}'); // a placeholder: the id comes from OS's list
    expect(probe.discover?.build(JSON.stringify({ collections: [{ id: 'wtr-fts-water-7' }] }))).toBe(
      'https://api.os.uk/features/ngd/ofa/v1/collections/wtr-fts-water-7/items?limit=1',
    );
  });

  it.each(ACCESS_PROBES.map((p) => [p.api, p.url] as const))('%s probe %s is classified as its own API', (api, url) => {
    expect(classifyOsApiRequest(url).api).toBe(api);
  });

  it('are https://api.os.uk GETs without any credential, and avoid the public (unauthenticated) paths', () => {
    for (const { url } of ACCESS_PROBES.filter((p) => !p.discover)) {
      const u = new URL(url);
      expect(u.origin).toBe('https://api.os.uk');
      expect(u.searchParams.has('key')).toBe(false);
      expect(u.pathname).not.toMatch(/^\/features\/ngd\/ofa\/v1\/collections\/?$/);
      expect(u.pathname).not.toMatch(/^\/downloads\/v1\/products/);
    }
  });

  it('the warning names the number of APIs and the transaction cost', () => {
    expect(ACCESS_CHECK_WARNING).toContain('one request to each of the 10 current OS APIs');
    expect(ACCESS_CHECK_WARNING).toMatch(/one transaction against the project's per-minute rate limit/);
    expect(ACCESS_CHECK_WARNING).toMatch(/Premium allowance/);
  });
});

describe('probeRequest', () => {
  const names = ACCESS_PROBES.find((p) => p.api === 'names')!;
  const vts = ACCESS_PROBES.find((p) => p.api === 'vector-tiles')!;

  it('header mode: key header only, URL untouched', () => {
    expect(probeRequest(names, { mode: 'header', key: KEY })).toEqual({ url: names.url, headers: { key: KEY } });
  });

  it('query mode: key appended to an existing query, no header at all', () => {
    const r = probeRequest(names, { mode: 'query', key: KEY });
    expect(r.url).toBe(`https://api.os.uk/search/names/v1/find?query=Southampton&maxresults=1&key=${KEY}`);
    expect(r.headers).toEqual({});
  });

  it('query mode: starts a query when there is none, and encodes the key', () => {
    expect(probeRequest(vts, { mode: 'query', key: 'a b&c' }).url).toBe(
      'https://api.os.uk/maps/vector/v1/vts?key=a%20b%26c',
    );
  });

  it('oauth mode: Authorization Bearer only, no key anywhere', () => {
    const r = probeRequest(names, { mode: 'oauth', token: TOKEN });
    expect(r).toEqual({ url: names.url, headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(r.url).not.toContain('key=');
  });

  it('maps modes to how explainFailure names them', () => {
    expect(credentialSent({ mode: 'header', key: KEY })).toBe('header');
    expect(credentialSent({ mode: 'query', key: KEY })).toBe('query');
    expect(credentialSent({ mode: 'oauth', token: TOKEN })).toBe('bearer');
  });
});

describe('interpretProbe', () => {
  it('200 and 307 are ok with no explanation', () => {
    expect(interpretProbe('names', 200, '{"header":{}}', 'header')).toEqual({
      api: 'names',
      label: 'OS Names API',
      ok: true,
      outcome: 'ok',
      status: 200,
      explanation: null,
    });
    expect(interpretProbe('downloads', 307, '', 'query')).toMatchObject({ ok: true, status: 307, explanation: null });
  });

  it('401 InvalidApiKey → invalid key', () => {
    const r = interpretProbe('places', 401, fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey'), 'header');
    expect(r).toMatchObject({ api: 'places', ok: false, status: 401, explanation: { title: 'Invalid API key' } });
  });

  it('401 InvalidApiKeyForGivenResource → key not enabled for that API', () => {
    const body = fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource');
    const r = interpretProbe('ngd-tiles', 401, body, 'bearer');
    expect(r.ok).toBe(false);
    expect(r.explanation?.title).toBe('Key not enabled for OS NGD API – Tiles');
  });

  it('429 → rate limited; 500 → service error; 0 → network error', () => {
    const rate = fault('Rate limit quota violation', 'policies.ratelimit.QuotaViolation');
    expect(interpretProbe('names', 429, rate, 'header').explanation?.title).toBe('Could not check: Rate limited by OS');
    expect(interpretProbe('names', 500, '', 'header')).toMatchObject({
      ok: false,
      outcome: 'could-not-check',
      status: 500,
      explanation: { title: 'Could not check: OS service error' },
    });
    expect(interpretProbe('names', 0, '', 'header')).toMatchObject({
      ok: false,
      outcome: 'could-not-check',
      status: 0,
      explanation: { title: 'Could not check: Network error' },
    });
  });

  it.each([
    [
      400,
      JSON.stringify({ code: 400, description: 'Not supported query parameter foo' }),
      /Not supported query parameter foo/,
    ],
    [
      404,
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Tile matrix 0 is not in EPSG:3857',
        code: 404,
        description: 'Tile matrix 0 is not in EPSG:3857',
      }),
      /Tile matrix 0 is not in EPSG:3857/,
    ],
    [
      405,
      JSON.stringify({ code: 405, description: "This endpoint only supports 'GET' requests." }),
      /only supports 'GET'/,
    ],
    [
      406,
      JSON.stringify({ code: 406, description: 'A request header value was not supported.' }),
      /header value was not supported/,
    ],
    [503, JSON.stringify({ error: { statuscode: 503, message: 'Service Unavailable' } }), /Service Unavailable/],
  ])('HTTP %i is "could not check" with the status and OS\'s message, never "no access"', (status, body, message) => {
    const r = interpretProbe('ngd-tiles', status, body, 'header');
    expect(r).toMatchObject({ ok: false, outcome: 'could-not-check', status });
    expect(r.explanation?.title).toMatch(/^Could not check/);
    expect(r.explanation?.detail).toMatch(message);
    expect(r.explanation?.detail).toMatch(/says nothing about the key/);
  });

  it('401 and 403 are "no access" with OS\'s reason', () => {
    const r403 = interpretProbe(
      'downloads',
      403,
      JSON.stringify({ message: 'You do not have access to this data package' }),
      'header',
    );
    expect(r403).toMatchObject({ outcome: 'no-access', explanation: { title: 'Access denied' } });
    expect(r403.explanation?.detail).toContain('You do not have access to this data package');
    expect(interpretProbe('os-net', 401, fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey'), 'query')).toMatchObject({
      outcome: 'no-access',
      explanation: { title: 'Invalid API key' },
    });
  });

  it('never returns key or token text from the body', () => {
    const bodies = [
      JSON.stringify({ error: { statuscode: 500, message: `Backend failed for key ${KEY} and Bearer ${TOKEN}` } }),
      JSON.stringify({ code: 400, description: `Bad request ?key=${KEY}` }),
      fault(`Invalid ApiKey ${KEY}`, 'oauth.v2.InvalidApiKey'),
      `<ExceptionText>token ${TOKEN}</ExceptionText>`,
    ];
    for (const [i, status] of [500, 400, 401, 503].entries()) {
      const text = JSON.stringify(interpretProbe('places', status, bodies[i] ?? '', 'header'));
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('removes the sent secret even when it does not look like one (all letters)', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzabcdef';
    const body = JSON.stringify({ error: { statuscode: 500, message: `upstream saw ${letters}` } });
    expect(JSON.stringify(interpretProbe('names', 500, body, 'header'))).toContain(letters); // the gap it closes
    const r = interpretProbe('names', 500, body, 'header', letters);
    expect(JSON.stringify(r)).not.toContain(letters);
    expect(r.explanation?.detail).toContain('upstream saw …');
  });
});

describe('pickNgdCollection', () => {
  const c = (id: string, end: string | null = null) => ({
    id,
    extent: { temporal: { interval: [['2024-01-01T00:00:00Z', end]] } },
  });
  it.each<[string, unknown, string | null]>([
    [
      'the newest version of the first listed collection',
      { collections: [c('bld-fts-building-2'), c('bld-fts-building-3'), c('wtr-fts-water-1')] },
      'bld-fts-building-3',
    ],
    [
      'skips versions OS gave an end date (superseded)',
      { collections: [c('bld-fts-building-1', '2025-06-01T00:00:00Z'), c('trn-ntwk-roadlink-2')] },
      'trn-ntwk-roadlink-2',
    ],
    ['an id without a version', { collections: [c('ngd-base')] }, 'ngd-base'],
    [
      'ignores ids that could break the URL',
      { collections: [c('../../x'), c('a b'), c('lus-fts-site-1')] },
      'lus-fts-site-1',
    ],
    ['nothing current', { collections: [c('bld-fts-building-1', '2025-01-01T00:00:00Z')] }, null],
    ['no list', { links: [] }, null],
  ])('%s', (_name, body, expected) => {
    expect(pickNgdCollection(JSON.stringify(body))).toBe(expected);
  });
  it('is null for a body that is not JSON', () => {
    expect(pickNgdCollection('<html>')).toBeNull();
  });
});
