import { describe, expect, it } from 'vitest';
import { ACCESS_CHECK_WARNING, ACCESS_PROBES, credentialSent, interpretProbe, probeRequest } from './check-access';
import { classifyOsApiRequest, OS_APIS } from './os-api-classify';

// A realistic 32-character key and 28-character token, so the scrubbing is tested on real shapes.
const KEY = 'Zx9YwV8uT7sR6qP5oN4mL3kJ2iH1gF0e';
const TOKEN = 'Q7rT2uVw9XyZ3aBc4DeF5gHi6JkL';
const fault = (faultstring: string, errorcode: string): string =>
  JSON.stringify({ fault: { faultstring, detail: { errorcode } } });

describe('ACCESS_PROBES', () => {
  it('has one probe per OS API, in OS_APIS order', () => {
    expect(ACCESS_PROBES.map((p) => p.api)).toEqual([...OS_APIS]);
  });

  it.each(ACCESS_PROBES.map((p) => [p.api, p.url] as const))('%s probe %s is classified as its own API', (api, url) => {
    expect(classifyOsApiRequest(url).api).toBe(api);
  });

  it('are https://api.os.uk GETs without any credential, and avoid the public (unauthenticated) paths', () => {
    for (const { url } of ACCESS_PROBES) {
      const u = new URL(url);
      expect(u.origin).toBe('https://api.os.uk');
      expect(u.searchParams.has('key')).toBe(false);
      expect(u.pathname).not.toMatch(/^\/features\/ngd\/ofa\/v1\/collections\/?$/);
      expect(u.pathname).not.toMatch(/^\/downloads\/v1\/products/);
    }
  });

  it('the warning names the number of APIs and the transaction cost', () => {
    expect(ACCESS_CHECK_WARNING).toContain('one request to each of the 9 OS APIs');
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
    expect(probeRequest(vts, { mode: 'query', key: 'a b&c' }).url).toBe('https://api.os.uk/maps/vector/v1/vts?key=a%20b%26c');
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
      api: 'names', label: 'OS Names API', ok: true, status: 200, explanation: null,
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
    expect(interpretProbe('names', 429, rate, 'header').explanation?.title).toBe('Rate limited');
    expect(interpretProbe('names', 500, '', 'header')).toMatchObject({ ok: false, status: 500, explanation: { title: 'OS service error' } });
    expect(interpretProbe('names', 0, '', 'header')).toMatchObject({ ok: false, status: 0, explanation: { title: 'Network error' } });
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
