// Tests for the api.os.uk mock, over real HTTPS with Node's client (Host/SNI set like Chromium's
// --host-resolver-rules would).
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_PROBES,
  credentialSent,
  interpretProbe,
  probeRequest,
  type ProbeCredential,
} from '../../src/core/check-access';
import { ALL_APIS, classifyOsApiPath, startOsApiMock, type ApiName, type OsApiMock } from './os-api-mock';

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

interface CallOpts {
  host?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

function call(mock: OsApiMock, path: string, opts: CallOpts = {}): Promise<Res> {
  const host = opts.host ?? 'api.os.uk';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: mock.port,
        path,
        method: opts.method ?? 'GET',
        servername: host,
        rejectUnauthorized: false,
        agent: false,
        headers: { host, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('client timeout')));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const parse = (r: Res): unknown => JSON.parse(r.text);
const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const NAMES = '/search/names/v1/find?query=southampton';

const FAULT_MISSING = {
  fault: {
    faultstring: 'Failed to resolve API Key variable request.header.key',
    detail: { errorcode: 'steps.oauth.v2.FailedToResolveAPIKey' },
  },
};
const FAULT_INVALID = { fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } };
const FAULT_RESOURCE = {
  fault: {
    faultstring: 'Invalid ApiKey for given resource',
    detail: { errorcode: 'oauth.v2.InvalidApiKeyForGivenResource' },
  },
};
const FAULT_EXPIRED = {
  fault: { faultstring: 'Access Token expired', detail: { errorcode: 'keymanagement.service.access_token_expired' } },
};

let mock: OsApiMock;

beforeAll(async () => {
  mock = await startOsApiMock({
    projects: [
      { key: 'KEY-LIVE', secret: 'SECRET-LIVE', plan: 'live' },
      { key: 'KEY-NAMES', secret: 'SECRET-NAMES', plan: 'live', apis: ['names'] },
      { key: 'KEY-PREMIUM', plan: 'live', premium: true },
    ],
  });
});
afterAll(() => mock.close());

async function token(key = 'KEY-LIVE', secret = 'SECRET-LIVE'): Promise<string> {
  const r = await call(mock, '/oauth2/token/v1', {
    method: 'POST',
    headers: { authorization: basic(key, secret), ...FORM },
    body: 'grant_type=client_credentials',
  });
  expect(r.status).toBe(200);
  return (parse(r) as { access_token: string }).access_token;
}

describe('auth gate', () => {
  it('accepts the key header (any case) and records it', async () => {
    const r = await call(mock, NAMES, { headers: { KEY: 'KEY-LIVE' } });
    expect(r.status).toBe(200);
    const body = parse(r) as { results: { GAZETTEER_ENTRY: { NAME1: string } }[] };
    expect(body.results[0]?.GAZETTEER_ENTRY.NAME1).toBe('Southampton');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const rec = mock.requests.at(-1);
    expect(rec).toMatchObject({
      host: 'api.os.uk',
      method: 'GET',
      path: '/search/names/v1/find',
      status: 200,
      credential: { source: 'header', value: 'KEY-LIVE' },
    });
    expect(rec?.headers['key']).toBe('KEY-LIVE');
  });

  it('accepts the key query parameter', async () => {
    const r = await call(mock, `${NAMES}&key=KEY-LIVE`);
    expect(r.status).toBe(200);
    expect(mock.requests.at(-1)).toMatchObject({
      credential: { source: 'query', value: 'KEY-LIVE' },
      query: { query: 'southampton', key: 'KEY-LIVE' },
    });
  });

  it('rejects a missing key with 401 FailedToResolveAPIKey', async () => {
    const r = await call(mock, NAMES);
    expect(r.status).toBe(401);
    expect(parse(r)).toEqual(FAULT_MISSING);
    expect(r.headers['access-control-allow-origin']).toBe('*'); // CORS on errors too
    expect(mock.requests.at(-1)).toMatchObject({ status: 401, credential: { source: 'none' } });
  });

  it('rejects an unknown key with 401 InvalidApiKey', async () => {
    const r = await call(mock, NAMES, { headers: { key: 'NOPE' } });
    expect(r.status).toBe(401);
    expect(parse(r)).toEqual(FAULT_INVALID);
  });

  it('rejects a key whose project lacks the API with 401 InvalidApiKeyForGivenResource', async () => {
    expect((await call(mock, NAMES, { headers: { key: 'KEY-NAMES' } })).status).toBe(200);
    const r = await call(mock, '/search/places/v1/postcode?postcode=SO16%200AS', { headers: { key: 'KEY-NAMES' } });
    expect(r.status).toBe(401);
    expect(parse(r)).toEqual(FAULT_RESOURCE);
  });

  it('answers CORS preflights with 204 and no auth', async () => {
    const r = await call(mock, NAMES, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://example.test',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'key',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-headers']).toBe('key, authorization, content-type');
    expect(r.headers['access-control-allow-methods']).toContain('GET');
    expect(mock.requests.at(-1)).toMatchObject({ method: 'OPTIONS', status: 204, credential: { source: 'none' } });
  });

  it('serves OpenData routes without a key, and gates everything else', async () => {
    expect((await call(mock, '/downloads/v1/products')).status).toBe(200);
    expect((await call(mock, '/features/ngd/ofa/v1/collections')).status).toBe(200);
    const r = await call(mock, '/downloads/v1/dataPackages');
    expect(r.status).toBe(401);
    expect(parse(r)).toEqual({ message: 'Failed to resolve API Key variable request.header.key' }); // Downloads' own 401 schema
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    const unknown = await call(mock, '/nothing/here');
    expect(unknown.status).toBe(404);
    expect(parse(unknown)).toMatchObject({
      fault: { detail: { errorcode: 'messaging.adaptors.http.flow.ApplicationNotFound' } },
    });
    expect((await call(mock, '/search/names/v1/nope', { headers: { key: 'KEY-LIVE' } })).status).toBe(404);
    const wrong = await call(mock, NAMES, { method: 'DELETE', headers: { key: 'KEY-LIVE' } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('GET');
  });
});

describe('OAuth2 token endpoint and bearer auth', () => {
  it('issues a token with all four values as strings', async () => {
    const before = Date.now();
    const r = await call(mock, '/oauth2/token/v1', {
      method: 'POST',
      headers: { authorization: basic('KEY-LIVE', 'SECRET-LIVE'), ...FORM },
      body: 'grant_type=client_credentials',
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const body = parse(r) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'token_type']);
    expect(body).toMatchObject({ expires_in: '299', token_type: 'Bearer' });
    expect(body['access_token']).toMatch(/^[A-Za-z0-9]{28}$/);
    expect(typeof body['issued_at']).toBe('string');
    expect(Number(body['issued_at'])).toBeGreaterThanOrEqual(before);
    expect(mock.issuedTokens().find((t) => t.token === body['access_token'])).toMatchObject({
      key: 'KEY-LIVE',
      expiresAt: Number(body['issued_at']) + 299_000,
    });
    expect(mock.requests.at(-1)).toMatchObject({
      credential: { source: 'basic', value: 'KEY-LIVE:SECRET-LIVE' },
      body: 'grant_type=client_credentials',
    });
  });

  it('rejects bad client credentials, other grants and other methods', async () => {
    const bad = await call(mock, '/oauth2/token/v1', {
      method: 'POST',
      headers: { authorization: basic('KEY-LIVE', 'WRONG'), ...FORM },
      body: 'grant_type=client_credentials',
    });
    expect(bad.status).toBe(401);
    expect(parse(bad)).toEqual({ ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' });
    const none = await call(mock, '/oauth2/token/v1', {
      method: 'POST',
      headers: FORM,
      body: 'grant_type=client_credentials',
    });
    expect(none.status).toBe(401);
    const grant = await call(mock, '/oauth2/token/v1', {
      method: 'POST',
      headers: { authorization: basic('KEY-LIVE', 'SECRET-LIVE'), ...FORM },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
    expect(parse(grant)).toMatchObject({ ErrorCode: 'unsupported_grant_type' });
    const get = await call(mock, '/oauth2/token/v1');
    expect(get.status).toBe(405);
  });

  it('accepts an issued bearer token and rejects it once expired', async () => {
    mock.setTokenLifetime(1);
    try {
      const t = await token();
      const ok = await call(mock, NAMES, { headers: { authorization: `Bearer ${t}` } });
      expect(ok.status).toBe(200);
      expect(mock.requests.at(-1)?.credential).toEqual({ source: 'bearer', value: t });
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await call(mock, NAMES, { headers: { authorization: `Bearer ${t}` } });
      expect(expired.status).toBe(401);
      expect(parse(expired)).toEqual(FAULT_EXPIRED);
    } finally {
      mock.setTokenLifetime(299);
    }
  });

  it('rejects unknown tokens, and applies the project entitlement to tokens', async () => {
    const unknown = await call(mock, NAMES, { headers: { authorization: 'Bearer notARealToken0000000000000' } });
    expect(unknown.status).toBe(401);
    expect(parse(unknown)).toMatchObject({ fault: { detail: { errorcode: 'oauth.v2.InvalidAccessToken' } } });
    const t = await token('KEY-NAMES', 'SECRET-NAMES');
    const places = await call(mock, '/search/places/v1/uprn?uprn=200010019924', {
      headers: { authorization: `Bearer ${t}` },
    });
    expect(parse(places)).toEqual(FAULT_RESOURCE);
  });

  it('can be made to fail, return garbage or hang', async () => {
    const post = {
      method: 'POST',
      headers: { authorization: basic('KEY-LIVE', 'SECRET-LIVE'), ...FORM },
      body: 'grant_type=client_credentials',
    };
    try {
      mock.failTokenEndpoint({ status: 503 });
      expect((await call(mock, '/oauth2/token/v1', post)).status).toBe(503);
      mock.failTokenEndpoint('garbage');
      const g = await call(mock, '/oauth2/token/v1', post);
      expect(g.status).toBe(200);
      expect(() => parse(g)).toThrow();
      mock.failTokenEndpoint('hang');
      await expect(call(mock, '/oauth2/token/v1', { ...post, timeoutMs: 200 })).rejects.toThrow('client timeout');
      expect(mock.requests.at(-1)).toMatchObject({ path: '/oauth2/token/v1', status: 0 });
    } finally {
      mock.failTokenEndpoint(null);
    }
    expect((await call(mock, '/oauth2/token/v1', post)).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('answers 429 after N requests per project and API, without rate-limit headers', async () => {
    const small = await startOsApiMock({
      projects: [
        { key: 'DEV', plan: 'dev' },
        { key: 'LIVE', plan: 'live' },
      ],
      rateLimitPerMinute: { dev: 3, live: 5 },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(small, NAMES, { headers: { key: 'DEV' } })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await call(small, NAMES, { headers: { key: 'DEV' } });
      expect(parse(limited)).toMatchObject({ fault: { detail: { errorcode: 'policies.ratelimit.QuotaViolation' } } });
      expect(Object.keys(limited.headers).filter((h) => /ratelimit|retry-after/i.test(h))).toEqual([]);
      // Separate buckets per API and per project; live has its own limit.
      expect((await call(small, '/search/places/v1/uprn?uprn=1', { headers: { key: 'DEV' } })).status).toBe(200);
      const live = [];
      for (let i = 0; i < 6; i++) live.push((await call(small, NAMES, { headers: { key: 'LIVE' } })).status);
      expect(live).toEqual([200, 200, 200, 200, 200, 429]);
      small.resetRateLimits();
      expect((await call(small, NAMES, { headers: { key: 'DEV' } })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('endpoints', () => {
  it('serves a valid 256×256 PNG tile and validates layer, zoom and Premium access', async () => {
    const r = await call(mock, '/maps/raster/v1/zxy/Road_3857/7/63/42.png', { headers: { key: 'KEY-LIVE' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect([...r.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(r.body.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([r.body.readUInt32BE(16), r.body.readUInt32BE(20)]).toEqual([256, 256]);
    const key = { headers: { key: 'KEY-LIVE' } };
    expect((await call(mock, '/maps/raster/v1/zxy/Road_3857/6/1/1.png', key)).status).toBe(400);
    expect((await call(mock, '/maps/raster/v1/zxy/Road_27700/14/1/1.png', key)).status).toBe(400);
    expect((await call(mock, '/maps/raster/v1/zxy/Leisure_3857/7/1/1.png', key)).status).toBe(400);
    expect((await call(mock, '/maps/raster/v1/zxy/Leisure_27700/0/1/1.png', key)).status).toBe(200);
    const premium = await call(mock, '/maps/raster/v1/zxy/Road_3857/17/1/1.png', key);
    expect(premium.status).toBe(401);
    expect(parse(premium)).toEqual(FAULT_RESOURCE);
    expect(
      (await call(mock, '/maps/raster/v1/zxy/Road_3857/17/1/1.png', { headers: { key: 'KEY-PREMIUM' } })).status,
    ).toBe(200);
  });

  it('WMTS capabilities echo a query key only when one was used; GetTile returns PNG', async () => {
    const caps = '/maps/raster/v1/wmts?service=WMTS&request=GetCapabilities&version=2.0.0';
    const withKey = await call(mock, `${caps}&key=KEY-LIVE`);
    expect(withKey.status).toBe(200);
    expect(withKey.text).toContain('xlink:href="https://api.os.uk/maps/raster/v1/wmts?key=KEY-LIVE&amp;"');
    const viaHeader = await call(mock, caps, { headers: { key: 'KEY-LIVE' } });
    expect(viaHeader.text).toContain('xlink:href="https://api.os.uk/maps/raster/v1/wmts?"');
    expect(viaHeader.text).not.toContain('KEY-LIVE');
    const tile = await call(
      mock,
      '/maps/raster/v1/wmts?service=WMTS&request=GetTile&version=1.0.0&style=default&layer=Outdoor_27700&tileMatrixSet=EPSG:27700&tileMatrix=7&tileRow=489&tileCol=323&key=KEY-LIVE',
    );
    expect(tile.status).toBe(200);
    expect(tile.headers['content-type']).toBe('image/png');
  });

  it('VTS metadata echoes ?key= into tiles[0] but never srs', async () => {
    const q = await call(mock, '/maps/vector/v1/vts?key=KEY-LIVE&srs=3857');
    expect((parse(q) as { tiles: string[] }).tiles).toEqual([
      'https://api.os.uk/maps/vector/v1/vts/tile/{z}/{y}/{x}.pbf?key=KEY-LIVE',
    ]);
    const h = await call(mock, '/maps/vector/v1/vts', { headers: { key: 'KEY-LIVE' } });
    expect((parse(h) as { tiles: string[] }).tiles).toEqual([
      'https://api.os.uk/maps/vector/v1/vts/tile/{z}/{y}/{x}.pbf',
    ]);
    const tile = await call(mock, '/maps/vector/v1/vts/tile/7/50/60.pbf?srs=3857', { headers: { key: 'KEY-LIVE' } });
    expect([tile.status, tile.headers['content-type']]).toEqual([200, 'application/octet-stream']);
  });

  it('Places omits results when empty and rejects a bad postcode with the error shape', async () => {
    const key = { headers: { key: 'KEY-LIVE' } };
    const hit = parse(await call(mock, '/search/places/v1/postcode?postcode=SO16%200AS', key)) as {
      header: { totalresults: number };
      results: { DPA: { UPRN: string } }[];
    };
    expect(hit.header.totalresults).toBe(2);
    expect(hit.results[0]?.DPA.UPRN).toBe('200010019924');
    const empty = parse(await call(mock, '/search/places/v1/postcode?postcode=ZZ99%209ZZ', key)) as Record<
      string,
      unknown
    >;
    expect(empty['header']).toMatchObject({ totalresults: 0 });
    expect('results' in empty).toBe(false);
    const bad = await call(mock, '/search/places/v1/postcode?postcode=BAD', key);
    expect(bad.status).toBe(400);
    expect(parse(bad)).toEqual({
      error: {
        statuscode: 400,
        message: expect.stringContaining('Requested postcode must contain a minimum of the sector plus 1 digit'),
      },
    });
    const polygon = await call(mock, '/search/places/v1/polygon', {
      method: 'POST',
      headers: { key: 'KEY-LIVE', 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [437000, 115000],
            [438000, 115000],
            [438000, 116000],
            [437000, 116000],
            [437000, 115000],
          ],
        ],
      }),
    });
    expect((parse(polygon) as { header: { totalresults: number } }).header.totalresults).toBe(2);
  });

  it('NGD Features pages GeoJSON and uses the OGC error shapes', async () => {
    const key = { headers: { key: 'KEY-LIVE' } };
    const r = await call(mock, '/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=5&offset=10', key);
    expect(r.headers['content-type']).toBe('application/geo+json');
    const fc = parse(r) as { numberReturned: number; features: unknown[]; links: { rel: string; href: string }[] };
    expect(fc.numberReturned).toBe(5);
    expect(fc.links.find((l) => l.rel === 'next')?.href).toBe(
      'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=5&offset=15',
    );
    const badParam = await call(mock, '/features/ngd/ofa/v1/collections/bld-fts-building-3/items?colour=red', key);
    expect(badParam.status).toBe(400);
    expect(parse(badParam)).toMatchObject({
      code: 400,
      description: expect.stringContaining('Not supported query parameter colour'),
    });
    const missing = await call(mock, '/features/ngd/ofa/v1/collections/nope-1/items', key);
    expect(missing.status).toBe(404);
    expect(parse(missing)).toMatchObject({
      code: 404,
      description: expect.stringContaining("Collection 'nope-1' is not a supported Collection"),
    });
  });

  it('redirects a data-package download with 307 to the blob host, which gets no credentials', async () => {
    const r = await call(
      mock,
      '/downloads/v1/dataPackages/0040154231/versions/5500114558/downloads?fileName=mastermap_topo_part1.zip',
      { headers: { key: 'KEY-LIVE' } },
    );
    expect(r.status).toBe(307);
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(r.headers['cache-control']).toBe('no-cache, no-store, max-age=0, must-revalidate');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const loc = new URL(r.headers.location ?? '');
    expect(loc.origin).toBe('https://blob.test');
    expect(loc.pathname).toBe('/downloads/dataPackages/0040154231/5500114558/mastermap_topo_part1.zip');
    expect(loc.searchParams.get('sr')).toBe('b');
    expect(loc.searchParams.get('sp')).toBe('r');
    expect(loc.searchParams.get('sig')).toBeTruthy();
    expect(Date.parse(loc.searchParams.get('se') ?? '')).toBeGreaterThan(Date.now() + 50 * 60_000);
    // Following it like a well-behaved client: the blob host sees no key.
    const blob = await call(mock, loc.pathname + loc.search, { host: 'blob.test' });
    expect(blob.status).toBe(200);
    const rec = await mock.waitForRequest((x) => x.host === 'blob.test');
    expect(rec.credential).toEqual({ source: 'none' });
    expect(rec.headers['key']).toBeUndefined();
    expect(rec.headers['authorization']).toBeUndefined();
  });

  it('/__echo reports what arrived, behind auth', async () => {
    expect((await call(mock, '/__echo')).status).toBe(401);
    const r = await call(mock, '/__echo?x=1', { headers: { key: 'KEY-NAMES', 'x-probe': 'yes' } });
    expect(r.status).toBe(200);
    expect(parse(r)).toMatchObject({
      method: 'GET',
      url: '/__echo?x=1',
      headers: { key: 'KEY-NAMES', 'x-probe': 'yes' },
      credential: { source: 'header', value: 'KEY-NAMES' },
    });
  });
});

describe('other hosts', () => {
  it('echo what they received, CORS-readable, and are recorded', async () => {
    const r = await call(mock, '/other?q=1', { host: 'example.test', headers: { 'x-test': 'hello' } });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(parse(r)).toMatchObject({
      host: 'example.test',
      method: 'GET',
      url: '/other?q=1',
      headers: { 'x-test': 'hello' },
    });
    expect(mock.requests.at(-1)).toMatchObject({
      host: 'example.test',
      path: '/other',
      query: { q: '1' },
      status: 200,
      credential: { source: 'none' },
    });
    const pre = await call(mock, '/other', {
      host: 'example.test',
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-anything' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-headers']).toBe('x-anything');
  });

  it('record a key that leaked to them', async () => {
    await call(mock, '/leak', { host: 'example.test', headers: { key: 'KEY-LIVE' } });
    expect(mock.requests.at(-1)).toMatchObject({
      host: 'example.test',
      credential: { source: 'header', value: 'KEY-LIVE' },
    });
  });
});

describe('request log', () => {
  it('waitForRequest resolves for past and future requests', async () => {
    await call(mock, '/past', { host: 'example.test' });
    await expect(mock.waitForRequest((r) => r.path === '/past')).resolves.toMatchObject({ host: 'example.test' });
    const future = mock.waitForRequest((r) => r.path === '/future', 2000);
    await call(mock, '/future', { host: 'example.test' });
    const rec = await future;
    expect(rec.status).toBe(200);
    const seqs = mock.requests.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('waitForRequest rejects with a clear message on timeout', async () => {
    await expect(mock.waitForRequest((r) => r.path === '/never', 100)).rejects.toThrow(
      /no matching request within 100 ms/,
    );
  });

  it('clear() empties the log in place', () => {
    const log = mock.requests;
    mock.clear();
    expect(log).toHaveLength(0);
    expect(mock.requests).toBe(log);
  });
});

describe('classifyOsApiPath', () => {
  it.each([
    ['/maps/raster/v1/zxy/Road_3857/7/63/42.png', 'maps-raster'],
    ['/maps/raster/v1/wmts', 'maps-raster'],
    ['/maps/vector/v1/vts/tile/1/2/3.pbf', 'vector-tiles'],
    ['/maps/vector/ngd/ota/v1/collections', 'ngd-tiles'],
    ['/features/ngd/ofa/v1/collections/x/items', 'ngd-features'],
    ['/features/v1/wfs', 'features-wfs'],
    ['/search/names/v1/find', 'names'],
    ['/search/places/v1/polygon', 'places'],
    ['/search/links/v1/identifiers/1', 'linked-ids'],
    ['/downloads/v1/products?x=1', 'downloads'],
    ['/oauth2/token/v1', 'oauth'],
    ['/search/match/v1/match', 'match-cleanse'],
    ['/positioning/osnet/v1/stations', 'os-net'],
    ['/search/names/v1x', null],
    ['/', null],
  ])('%s → %s', (path, api) => {
    expect(classifyOsApiPath(path)).toBe(api);
  });
});

describe('forceStatus', () => {
  const PLACES = '/search/places/v1/uprn?uprn=200010019924';

  it('answers 401, 403 and 429 on demand with OS-shaped bodies, after recording the request', async () => {
    try {
      mock.forceStatus([
        { pathPrefix: '/search/names/v1', status: 401 },
        { pathPrefix: '/search/places/v1', status: 403 },
        { pathPrefix: '/maps/vector/v1/vts', status: 429 },
      ]);
      const names = await call(mock, NAMES, { headers: { key: 'KEY-LIVE' } }); // a good key: the force wins
      expect(names.status).toBe(401);
      expect(parse(names)).toEqual(FAULT_INVALID);
      expect(mock.requests.at(-1)).toMatchObject({
        path: '/search/names/v1/find',
        status: 401,
        credential: { source: 'header', value: 'KEY-LIVE' },
      });
      const places = await call(mock, `${PLACES}&key=KEY-LIVE`);
      expect(places.status).toBe(403);
      expect(parse(places)).toEqual({
        fault: {
          faultstring: 'Access Denied for client ip : 127.0.0.1',
          detail: { errorcode: 'accesscontrol.IPDeniedAccess' },
        },
      });
      expect(mock.requests.at(-1)?.credential).toEqual({ source: 'query', value: 'KEY-LIVE' });
      const vts = await call(mock, '/maps/vector/v1/vts', { headers: { key: 'KEY-LIVE' } });
      expect(vts.status).toBe(429);
      expect(parse(vts)).toMatchObject({ fault: { detail: { errorcode: 'policies.ratelimit.QuotaViolation' } } });
      for (const r of [names, places, vts]) expect(r.headers['access-control-allow-origin']).toBe('*');
      // Other paths and preflights are untouched.
      expect(
        (await call(mock, '/maps/raster/v1/zxy/Road_27700/0/2/4.png', { headers: { key: 'KEY-LIVE' } })).status,
      ).toBe(200);
      expect((await call(mock, NAMES, { method: 'OPTIONS' })).status).toBe(204);
    } finally {
      mock.forceStatus(null);
    }
    expect((await call(mock, NAMES, { headers: { key: 'KEY-LIVE' } })).status).toBe(200);
  });

  it('`times` limits a rule; Downloads gets its {message} shape; other statuses the API error shape', async () => {
    try {
      mock.forceStatus({ pathPrefix: '/search/names/v1/find', status: 429, times: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(mock, NAMES, { headers: { key: 'KEY-LIVE' } })).status);
      expect(statuses).toEqual([429, 429, 200]);
      mock.forceStatus([
        { pathPrefix: '/downloads/v1', status: 401 },
        { pathPrefix: '/features/ngd', status: 503 },
      ]);
      const dl = await call(mock, '/downloads/v1/products'); // even a public route
      expect([dl.status, parse(dl)]).toEqual([401, { message: 'Invalid ApiKey' }]);
      const ngd = await call(mock, '/features/ngd/ofa/v1/collections');
      expect([ngd.status, parse(ngd)]).toEqual([
        503,
        {
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'Injected failure (HTTP 503)',
          code: 503,
          description: 'Injected failure (HTTP 503)',
          help: 'https://docs.os.uk/osngd/accessing-os-ngd/access-the-os-ngd-api',
        },
      ]); // NGD's RFC 7807-style body (docs/os-apis.md §0)
    } finally {
      mock.forceStatus(null);
    }
  });

  it('forced errors stay readable cross-origin even with corsOnErrors: false; tokens are never forced', async () => {
    const strict = await startOsApiMock({ projects: [{ key: 'K', secret: 'S' }], corsOnErrors: false });
    try {
      expect((await call(strict, NAMES)).headers['access-control-allow-origin']).toBeUndefined(); // a real 401
      strict.forceStatus({ pathPrefix: '/', status: 429 });
      expect((await call(strict, NAMES)).headers['access-control-allow-origin']).toBe('*');
      // …but never the token endpoint, which has failTokenEndpoint.
      const t = await call(strict, '/oauth2/token/v1', {
        method: 'POST',
        headers: { authorization: basic('K', 'S'), ...FORM },
        body: 'grant_type=client_credentials',
      });
      expect(t.status).toBe(200);
      strict.forceStatus({ pathPrefix: '/', status: 429, times: 0 }); // zero times: no rule at all
      expect((await call(strict, NAMES, { headers: { key: 'K' } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

// The core of "Check access against a mock project that has only some APIs": every probe the
// extension sends must pass for an entitled API and be refused as "not in the project" otherwise.
describe('Check access probes against project entitlements', () => {
  // Downloads is left out on purpose: its 401 body is `{message}`, not an Apigee fault.
  const ENTITLED: ApiName[] = ['maps-raster', 'ngd-tiles', 'names', 'linked-ids'];
  let partial: OsApiMock;
  beforeAll(async () => {
    partial = await startOsApiMock({
      projects: [
        { key: 'KEY-SOME', secret: 'SECRET-SOME', plan: 'live', apis: ENTITLED },
        { key: 'KEY-ALL', plan: 'live' },
      ],
    });
  });
  afterAll(() => partial.close());

  async function probeAll(m: OsApiMock, credential: ProbeCredential) {
    const out: { api: ApiName; status: number; ok: boolean; title: string | null }[] = [];
    for (const listed of ACCESS_PROBES) {
      let probe = listed;
      if (listed.discover) {
        // As the extension does: read the public list first, without any credential.
        const list = await call(m, new URL(listed.discover.url).pathname);
        probe = { api: listed.api, url: listed.discover.build(list.text) ?? 'https://api.os.uk/discovery-failed' };
      }
      const { url, headers } = probeRequest(probe, credential);
      const u = new URL(url);
      const r = await call(m, u.pathname + u.search, {
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const result = interpretProbe(probe.api, r.status, r.text, credentialSent(credential));
      out.push({ api: probe.api, status: r.status, ok: result.ok, title: result.explanation?.title ?? null });
    }
    return out;
  }

  it('a project with every API gets 2xx for every probe', async () => {
    const results = await probeAll(partial, { mode: 'header', key: 'KEY-ALL' });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
  });

  it.each(['header', 'query'] as const)(
    '%s key: exactly the entitled APIs succeed, the rest are "not enabled"',
    async (mode) => {
      const results = await probeAll(partial, { mode, key: 'KEY-SOME' });
      expect(results.filter((r) => r.ok).map((r) => r.api)).toEqual(ENTITLED);
      for (const r of results.filter((x) => !x.ok)) {
        expect(r.status).toBe(401);
        expect(r.title).toMatch(/^Key not enabled for /);
      }
      expect(results.filter((r) => !r.ok).map((r) => r.api)).toEqual(ALL_APIS.filter((a) => !ENTITLED.includes(a)));
      // And the mock saw the credential where the mode puts it, on every probe.
      const probes = partial.requests
        .filter((r) => r.path !== '/features/ngd/ofa/v1/collections')
        .slice(-ACCESS_PROBES.length);
      expect(probes.map((p) => p.credential)).toEqual(ACCESS_PROBES.map(() => ({ source: mode, value: 'KEY-SOME' })));
    },
  );

  it('bearer token from the same project: the same split', async () => {
    const t = await call(partial, '/oauth2/token/v1', {
      method: 'POST',
      headers: { authorization: basic('KEY-SOME', 'SECRET-SOME'), ...FORM },
      body: 'grant_type=client_credentials',
    });
    const token = (parse(t) as { access_token: string }).access_token;
    const results = await probeAll(partial, { mode: 'oauth', token });
    expect(results.filter((r) => r.ok).map((r) => r.api)).toEqual(ENTITLED);
    expect(
      results.filter((r) => !r.ok).every((r) => r.status === 401 && /^Key not enabled for /.test(r.title ?? '')),
    ).toBe(true);
  });

  it('an unknown key fails every probe as an invalid key', async () => {
    const results = await probeAll(partial, { mode: 'header', key: 'Zx9YwV8uT7sR6qP5oN4mL3kJ2iH1gF0e' });
    // Downloads' `{message}` 401 carries no error code, so it can only be explained generically.
    const expected = ACCESS_PROBES.map((p) => [401, p.api === 'downloads' ? 'Not authorised' : 'Invalid API key']);
    expect(results.map((r) => [r.status, r.title])).toEqual(expected);
  });
});

// OS facts the mock mirrors (docs/os-apis.md §0): each test names the fact it checks.
describe('OS fidelity', () => {
  let m: OsApiMock;
  const KEY = { headers: { key: 'KEY-OPEN' } };
  beforeAll(async () => {
    m = await startOsApiMock({
      projects: [
        { key: 'KEY-OPEN', mode: 'live' },
        { key: 'KEY-PREM', mode: 'live', premium: true },
        { key: 'KEY-M&C', apis: ['match-cleanse', 'names'] },
      ],
    });
  });
  afterAll(() => m.close());

  it('NGD Tiles: EPSG:3857 starts at zoom 6 (zoom 0 is outside the matrix set, 404 even with a good key)', async () => {
    const z0 = await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/0/0/0', KEY);
    expect(z0.status).toBe(404);
    expect(z0.headers['content-type']).toBe('application/problem+json');
    expect(parse(z0)).toMatchObject({
      status: 404,
      title: 'Not Found',
      code: 404,
      description: expect.stringContaining("not in tile matrix set '3857' (zooms 6-19)"),
    });
    expect((await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/6/21/31', KEY)).status).toBe(200);
    expect((await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/6/64/0', KEY)).status).toBe(404); // row outside 2^6
    expect((await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/27700/0/0/0', KEY)).status).toBe(200);
    expect((await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/27700/16/0/0', KEY)).status).toBe(404);
  });

  it('NGD Tiles: Premium zooms (3857 from 16, 27700 from 12) need a Premium project; styles and matrix sets are public', async () => {
    const open = await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/16/21000/32000', KEY);
    expect([open.status, (parse(open) as { fault: { detail: { errorcode: string } } }).fault.detail.errorcode]).toEqual(
      [401, 'oauth.v2.InvalidApiKeyForGivenResource'],
    );
    expect(
      (
        await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/16/21000/32000', {
          headers: { key: 'KEY-PREM' },
        })
      ).status,
    ).toBe(200);
    expect((await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/27700/12/0/0', KEY)).status).toBe(401);
    expect((await call(m, '/maps/vector/ngd/ota/v1/collections/ngd-base/styles/3857')).status).toBe(200);
    expect(
      (parse(await call(m, '/maps/vector/ngd/ota/v1/tilematrixsets/3857')) as { tileMatrices: { id: string }[] })
        .tileMatrices[0]?.id,
    ).toBe('6');
  });

  it('NGD Features: a superseded collection answers 404; the public list shows only served versions, newest current', async () => {
    const gone = await call(m, '/features/ngd/ofa/v1/collections/bld-fts-building-1/items?limit=1', KEY);
    expect(gone.status).toBe(404);
    expect(parse(gone)).toMatchObject({
      code: 404,
      detail:
        "Collection 'bld-fts-building-1' is not a supported Collection. Please refer to the documentation for a list of supported Collections.",
    });
    const list = parse(await call(m, '/features/ngd/ofa/v1/collections')) as {
      collections: { id: string; extent: { temporal: { interval: (string | null)[][] } } }[];
    };
    const ids = list.collections.map((c) => c.id);
    expect(ids).not.toContain('bld-fts-building-1');
    expect(ids).toEqual(expect.arrayContaining(['bld-fts-building-2', 'bld-fts-building-3']));
    expect(
      list.collections.find((c) => c.id === 'bld-fts-building-2')?.extent.temporal.interval[0]?.[1],
    ).not.toBeNull();
    expect(list.collections.find((c) => c.id === 'bld-fts-building-3')?.extent.temporal.interval[0]?.[1]).toBeNull();
  });

  it('OS Net: stations, one station, network health and RINEX years, all behind the key; errors are problem+json', async () => {
    expect(
      (parse(await call(m, '/positioning/osnet/v1/stations', KEY)) as { stationId: string }[]).map((s) => s.stationId),
    ).toEqual(['ABEP', 'SOUT']);
    expect(parse(await call(m, '/positioning/osnet/v1/stations/ABEP', KEY))).toMatchObject({
      stationName: 'Aberporth',
    });
    expect((await call(m, '/positioning/osnet/v1/stations/health', KEY)).status).toBe(200);
    expect(parse(await call(m, '/positioning/osnet/v1/rinex', KEY))).toMatchObject({
      title: 'OS Net API RINEX data years',
    });
    const missing = await call(m, '/positioning/osnet/v1/stations/NOPE', KEY);
    expect([missing.status, missing.headers['content-type'], parse(missing)]).toEqual([
      404,
      'application/problem+json',
      { type: 'about:blank', title: 'Not Found', status: 404, detail: "Station 'NOPE' was not found." },
    ]);
    expect((await call(m, '/positioning/osnet/v1/rinex')).status).toBe(401);
  });

  it('Match & Cleanse is withdrawn: refused for every key, even one whose project "has" it', async () => {
    for (const key of ['KEY-OPEN', 'KEY-M&C']) {
      const r = await call(m, '/search/match/v1/match?query=Adanac', { headers: { key } });
      expect([r.status, (parse(r) as { fault: { detail: { errorcode: string } } }).fault.detail.errorcode]).toEqual([
        401,
        'oauth.v2.InvalidApiKeyForGivenResource',
      ]);
    }
    expect((await call(m, '/search/names/v1/find?query=Southampton', { headers: { key: 'KEY-M&C' } })).status).toBe(
      200,
    );
  });

  it.each([
    ['WMTS', '/maps/raster/v1/wmts?service=WMTS&request=GetCapabilities'],
    ['WFS', '/features/v1/wfs?service=WFS&request=GetCapabilities'],
    ['Vector Tile API', '/maps/vector/v1/vts'],
  ])('%s without a key: OGC ExceptionReport with exceptionCode="FailedToResolveAPIKey"', async (_name, path) => {
    const r = await call(m, path);
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(r.text).toContain(
      '<ows:Exception exceptionCode="FailedToResolveAPIKey"><ows:ExceptionText>Failed to resolve API Key variable request.queryparam.key</ows:ExceptionText>',
    );
  });

  it('an over-long request line gets 414 protocol.http.TooBigLine', async () => {
    const r = await call(m, `/features/v1/wfs?service=WFS&filter=${'x'.repeat(8000)}`, KEY);
    expect([r.status, parse(r)]).toEqual([
      414,
      { fault: { faultstring: 'Request line too long', detail: { errorcode: 'protocol.http.TooBigLine' } } },
    ]);
  });

  it('rate limits follow the project mode (the older `plan` option still works)', async () => {
    const small = await startOsApiMock({
      projects: [
        { key: 'DEV', mode: 'dev' },
        { key: 'OLD', plan: 'live' },
      ],
      rateLimitPerMinute: { dev: 1, live: 2 },
    });
    try {
      const names = '/search/names/v1/find?query=Southampton';
      expect([
        (await call(small, names, { headers: { key: 'DEV' } })).status,
        (await call(small, names, { headers: { key: 'DEV' } })).status,
      ]).toEqual([200, 429]);
      const old = [];
      for (let i = 0; i < 3; i++) old.push((await call(small, names, { headers: { key: 'OLD' } })).status);
      expect(old).toEqual([200, 200, 429]);
    } finally {
      await small.close();
    }
  });
});
