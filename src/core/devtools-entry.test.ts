import { describe, expect, it } from 'vitest';
import {
  fetchSnippet,
  matchActivity,
  matchesFilter,
  prettyBody,
  reasonFromBody,
  redactBody,
  rowFromHar,
  withoutKey,
  type HarEntry,
} from './devtools-entry';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const TOKEN = 'tokenAbc123tokenAbc123';
const T0 = 1_796_176_800_000;

function entry(over: Partial<HarEntry> & { url?: string; status?: number } = {}): HarEntry {
  const {
    url = `https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png?key=${KEY}&x=1`,
    status = 200,
    ...rest
  } = over;
  return {
    startedDateTime: '2026-12-02T02:00:00.000Z',
    time: 41.6,
    request: {
      method: 'GET',
      url,
      headers: [
        { name: 'Accept', value: 'image/png' },
        { name: 'key', value: KEY },
        { name: 'Authorization', value: `Bearer ${TOKEN}` },
        { name: 'Referer', value: `http://localhost:5173/?key=${KEY}` },
      ],
    },
    response: {
      status,
      statusText: 'OK',
      headers: [{ name: 'Content-Type', value: 'image/png' }],
      content: { size: 900, mimeType: 'image/png' },
      bodySize: 900,
      _transferSize: 1200,
    },
    timings: { blocked: 1, dns: -1, wait: 30.2, receive: 2 },
    ...rest,
  };
}

describe('rowFromHar: HAR entry → panel row', () => {
  it('maps the columns', () => {
    const row = rowFromHar(entry(), 7, T0)!;
    expect(row).toMatchObject({
      id: 7,
      startedAt: T0,
      method: 'GET',
      api: 'maps-raster',
      label: 'OS Maps API',
      path: '/maps/raster/v1/zxy/Light_3857/7/63/42.png?key=…redacted…&x=1',
      status: 200,
      size: 1200,
      durationMs: 42,
      mimeType: 'image/png',
      keyInUrl: true,
    });
    expect(row.timings).toEqual([
      ['blocked', 1],
      ['wait', 30.2],
      ['receive', 2],
    ]); // -1 = not applicable
  });

  it('redacts the key and token everywhere before the row exists: URL, query table, headers', () => {
    const row = rowFromHar(entry(), 1, T0)!;
    expect(JSON.stringify(row)).not.toContain(KEY);
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(row.query).toEqual([
      ['key', '…redacted…'],
      ['x', '1'],
    ]);
    expect(row.requestHeaders).toEqual([
      ['Accept', 'image/png'],
      ['key', '…redacted…'],
      ['Authorization', 'Bearer …redacted…'],
      ['Referer', 'http://localhost:5173/?key=…redacted…'],
    ]);
  });

  it('ignores other hosts and http; sizes fall back to the body, then unknown', () => {
    expect(rowFromHar(entry({ url: 'https://example.com/x' }), 1, T0)).toBeNull();
    expect(rowFromHar(entry({ url: 'http://api.os.uk/x' }), 1, T0)).toBeNull();
    expect(rowFromHar(entry({ url: 'https://api.os.uk.evil.test/x' }), 1, T0)).toBeNull();
    expect(
      rowFromHar(
        { request: { url: 'https://api.os.uk/search/names/v1/find?query=a' }, response: { content: { size: 12 } } },
        1,
        T0,
      ),
    ).toMatchObject({ size: 12, status: 0, method: 'GET', api: 'names' });
    expect(rowFromHar({ request: { url: 'https://api.os.uk/x' } }, 1, T0)).toMatchObject({ size: -1, startedAt: T0 });
  });
});

describe('reasonFromBody: OS own answer, with core explanations', () => {
  const row = { status: 401, api: 'places' as const, url: 'https://api.os.uk/search/places/v1/find?query=a' };
  it('reads the Apigee fault JSON', () => {
    const body =
      '{"fault":{"faultstring":"Invalid ApiKey for given resource","detail":{"errorcode":"oauth.v2.InvalidApiKeyForGivenResource"}}}';
    expect(reasonFromBody(row, body, { projectId: 'a', projectName: 'Alpha', mode: 'header' })?.title).toBe(
      'Key not enabled for OS Places API',
    );
  });
  it('reads the OGC XML exception text', () => {
    const body =
      '<ows:ExceptionReport><ows:Exception><ows:ExceptionText>Unknown layer Foo</ows:ExceptionText></ows:Exception></ows:ExceptionReport>';
    expect(reasonFromBody({ ...row, status: 400, api: 'features-wfs' }, body, null)?.detail).toContain(
      'OS says: "Unknown layer Foo"',
    );
  });
  it('reads a Places error message and explains a 429 and a missing key', () => {
    expect(
      reasonFromBody(
        { ...row, status: 400 },
        '{"error":{"statuscode":400,"message":"Requested postcode must contain a minimum of the sector plus 1 digit"}}',
        null,
      )?.detail,
    ).toContain('minimum of the sector');
    expect(reasonFromBody({ ...row, status: 429 }, '', null)?.title).toMatch(/^Rate limited/);
    expect(
      reasonFromBody(
        row,
        '{"fault":{"faultstring":"Failed to resolve API Key variable request.header.key","detail":{"errorcode":"steps.oauth.v2.FailedToResolveAPIKey"}}}',
        { reasonNone: 'site-not-allowed' },
      )?.detail,
    ).toContain('not one the keyring may add credentials for');
  });
  it('a success has no reason', () => {
    expect(reasonFromBody({ ...row, status: 200 }, '{}', null)).toBeNull();
  });
});

describe('redaction of bodies and copies', () => {
  it('redactBody removes keys in echoed URLs and bearer tokens', () => {
    const out = redactBody(`{"uri":"https://api.os.uk/x?key=${KEY}&y=1","auth":"Bearer ${TOKEN}"}`);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('&y=1');
  });
  it('Copy as fetch carries no key, and Copy as curl is asked for the URL without one', () => {
    const row = rowFromHar(entry(), 1, T0)!;
    expect(fetchSnippet(row)).toBe(
      '// The OS API Keyring extension adds the credential.\nconst response = await fetch("https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png?x=1");',
    );
    expect(fetchSnippet({ url: 'https://api.os.uk/features/v1/wfs', method: 'POST' })).toContain(
      ', { method: "POST" })',
    );
    expect(withoutKey(row.url)).toBe('https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png?x=1');
  });
});

describe('filter and pretty body', () => {
  const row = { status: 429, path: '/search/names/v1/find?query=x', label: 'OS Names API', api: 'names' as const };
  it('status:4xx, exact statuses, api:, path words; all words must match', () => {
    expect(matchesFilter(row, 'status:4xx')).toBe(true);
    expect(matchesFilter(row, 'status:429')).toBe(true);
    expect(matchesFilter(row, 'status:2xx')).toBe(false);
    expect(matchesFilter(row, 'api:names')).toBe(true);
    expect(matchesFilter(row, 'api:places')).toBe(false);
    expect(matchesFilter(row, 'find status:4xx')).toBe(true);
    expect(matchesFilter(row, 'find tiles')).toBe(false);
    expect(matchesFilter(row, '')).toBe(true);
  });
  it('pretty-prints JSON and XML', () => {
    expect(prettyBody('{"a":[1]}', 'application/json')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyBody('<a><b>x</b></a>', 'text/xml')).toBe('<a>\n  <b>x</b>\n</a>');
    expect(prettyBody('plain', 'text/plain')).toBe('plain');
  });
});

describe('matchActivity: the credential column from the activity log', () => {
  it('pairs by path and nearest time, each log row once; unmatched rows stay unknown', () => {
    const rows = [
      { id: 1, path: '/a', startedAt: 1000 },
      { id: 2, path: '/a', startedAt: 1100 },
      { id: 3, path: '/b', startedAt: 1000 },
      { id: 4, path: '/a', startedAt: 60_000 },
    ];
    const logged = [
      { seq: 10, time: 1005, path: '/a', projectId: 'p', projectName: 'Alpha', mode: 'header' as const },
      { seq: 11, time: 1102, path: '/a', projectId: null, projectName: null, mode: null, reasonNone: 'off' as const },
    ];
    const found = matchActivity(rows, logged);
    expect(found.get(1)).toEqual({ projectId: 'p', projectName: 'Alpha', mode: 'header' });
    expect(found.get(2)).toEqual({ reasonNone: 'off' });
    expect(found.has(3)).toBe(false);
    expect(found.has(4)).toBe(false);
  });
});
