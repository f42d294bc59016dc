// runAccessCheck against a scripted network: each OS API's probe gets exactly the answer the test
// scripts for that API, so the report can be checked result by result.
import { describe, expect, it } from 'vitest';
import {
  MAX_PROBE_BODY_BYTES,
  runAccessCheck,
  type AccessCheckDeps,
  type ProbeResponse,
} from '../../../src/background/check-access';
import { ACCESS_PROBES, NGD_COLLECTIONS_URL } from '../../../src/core/check-access';
import { classifyOsApiRequest, CURRENT_OS_APIS, type OsApi } from '../../../src/core/os-api-classify';

const KEY = 'Zx9YwV8uT7sR6qP5oN4mL3kJ2iH1gF0e';
const NOW = 1_700_000_000_000;
const fault = (faultstring: string, errorcode: string): string =>
  JSON.stringify({ fault: { faultstring, detail: { errorcode } } });
const NOT_FOR_RESOURCE = fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource');

type Script =
  | { status: number; body?: string; delayMs?: number }
  | { status: number; stream: ReadableStream<Uint8Array> }
  | { status: 307; location: string }
  | 'network-error'
  | 'hang';

interface Sent {
  api: OsApi | 'oauth' | null;
  url: string;
  init: RequestInit;
}

/** OS NGD's public list of collections, as OS shapes it: a superseded version has an end date. */
const COLLECTIONS = JSON.stringify({
  collections: [
    {
      id: 'bld-fts-building-1',
      extent: { temporal: { interval: [['2023-01-01T00:00:00Z', '2025-01-01T00:00:00Z']] } },
    },
    { id: 'bld-fts-building-3', extent: { temporal: { interval: [['2025-01-01T00:00:00Z', null]] } } },
    { id: 'bld-fts-building-2', extent: { temporal: { interval: [['2024-01-01T00:00:00Z', null]] } } },
    { id: 'trn-ntwk-roadlink-4', extent: { temporal: { interval: [['2025-01-01T00:00:00Z', null]] } } },
  ],
});
const NGD_ITEM_PROBE = 'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=1';

function scriptedNetwork(script: Partial<Record<OsApi, Script>> & { collections?: Script } = {}) {
  const sent: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = async (url: string, init: RequestInit): Promise<ProbeResponse> => {
    const api = classifyOsApiRequest(url).api;
    sent.push({ api, url, init });
    const reply =
      url === NGD_COLLECTIONS_URL
        ? (script.collections ?? { status: 200, body: COLLECTIONS })
        : (api && api !== 'oauth' && script[api]) || { status: 200, body: '{}' };
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    if (reply === 'hang') return new Promise(() => undefined); // ignores the signal on purpose
    if ('location' in reply) {
      // As fetch does: with redirect 'error' a redirect is a network error; otherwise it is followed, headers and all.
      if (init.redirect === 'error') throw new TypeError('Failed to fetch');
      sent.push({ api: null, url: reply.location, init });
      return new Response('{}', { status: 200 });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if ('stream' in reply) return new Response(reply.stream, { status: reply.status });
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      return new Response(reply.body ?? '', { status: reply.status });
    } finally {
      inFlight--;
    }
  };
  const deps: AccessCheckDeps = { fetch, now: () => NOW };
  return { deps, sent, maxInFlight: () => maxInFlight };
}

describe('runAccessCheck', () => {
  it('never follows a redirect with the credential: a probe redirected off api.os.uk is "could not check", and nothing reaches the other host', async () => {
    const net = scriptedNetwork({ names: { status: 307, location: 'https://evil.example/steal' } });
    const report = await runAccessCheck(net.deps, 'p1', { mode: 'header', key: KEY });
    expect(net.sent.map((s) => new URL(s.url).host)).not.toContain('evil.example');
    expect(net.sent.every((s) => s.init.redirect === 'error')).toBe(true);
    expect(report.results.find((r) => r.api === 'names')).toMatchObject({
      api: 'names',
      status: 0,
      outcome: 'could-not-check',
    });
  });

  it('reports each API exactly as answered, in ACCESS_PROBES order, with the check time', async () => {
    const net = scriptedNetwork({
      'maps-raster': { status: 200, body: 'PNG' },
      'ngd-features': { status: 401, body: NOT_FOR_RESOURCE },
      places: { status: 429, body: fault('Rate limit quota violation', 'policies.ratelimit.QuotaViolation') },
      'linked-ids': { status: 500, body: '' },
      downloads: 'network-error',
    });
    const report = await runAccessCheck(net.deps, 'p1', { mode: 'header', key: KEY });
    expect(report.projectId).toBe('p1');
    expect(report.checkedAt).toBe(NOW);
    expect(report.results.map((r) => r.api)).toEqual([...CURRENT_OS_APIS]);
    expect(report.results.map((r) => [r.api, r.status, r.outcome, r.explanation?.title ?? null])).toEqual([
      ['maps-raster', 200, 'ok', null],
      ['vector-tiles', 200, 'ok', null],
      ['ngd-features', 401, 'no-access', 'Key not enabled for OS NGD API – Features'],
      ['ngd-tiles', 200, 'ok', null],
      ['features-wfs', 200, 'ok', null],
      ['names', 200, 'ok', null],
      ['places', 429, 'could-not-check', 'Could not check: Rate limited by OS'],
      ['linked-ids', 500, 'could-not-check', 'Could not check: OS service error'],
      ['downloads', 0, 'could-not-check', 'Could not check: Network error'],
      ['os-net', 200, 'ok', null],
    ]);
  });

  it('NGD Features: reads the public collections without a credential, then probes one item of the newest current version', async () => {
    const net = scriptedNetwork({});
    await runAccessCheck(net.deps, 'p1', { mode: 'query', key: KEY });
    const ngd = net.sent.filter((s) => s.api === 'ngd-features');
    expect(ngd.map((s) => s.url)).toEqual([NGD_COLLECTIONS_URL, `${NGD_ITEM_PROBE}&key=${KEY}`]);
    expect(ngd[0]?.init.headers).toEqual({});
  });

  it.each<[string, Script]>([
    ['answers 500', { status: 500, body: '{"code":500,"description":"boom"}' }],
    [
      'lists nothing current',
      {
        status: 200,
        body: JSON.stringify({
          collections: [
            {
              id: 'bld-fts-building-1',
              extent: { temporal: { interval: [['2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z']] } },
            },
          ],
        }),
      },
    ],
    ['is not JSON', { status: 200, body: '<html>' }],
    ['does not answer', 'network-error'],
  ])(
    'NGD Features: when the public list %s, the result is "could not check" and no keyed request is sent',
    async (_name, collections) => {
      const net = scriptedNetwork({ collections });
      const report = await runAccessCheck(net.deps, 'p1', { mode: 'header', key: KEY });
      expect(report.results.find((r) => r.api === 'ngd-features')).toMatchObject({
        ok: false,
        outcome: 'could-not-check',
        explanation: { title: 'Could not check: no collection to probe' },
      });
      expect(net.sent.filter((s) => s.api === 'ngd-features').map((s) => s.url)).toEqual([NGD_COLLECTIONS_URL]);
    },
  );

  it('sends every probe once, as a credential-less GET plus the key header', async () => {
    const net = scriptedNetwork({});
    await runAccessCheck(net.deps, 'p1', { mode: 'header', key: KEY });
    const keyed = net.sent.filter((s) => s.url !== NGD_COLLECTIONS_URL);
    expect(keyed.map((s) => s.url).sort()).toEqual(
      ACCESS_PROBES.map((p) => (p.discover ? NGD_ITEM_PROBE : p.url)).sort(),
    );
    for (const s of keyed) {
      expect(s.init).toMatchObject({ method: 'GET', headers: { key: KEY }, credentials: 'omit', cache: 'no-store' });
      expect(s.init.signal).toBeInstanceOf(AbortSignal);
    }
  });

  it('query and oauth modes put the credential only where they should', async () => {
    const q = scriptedNetwork({});
    await runAccessCheck(q.deps, 'p1', { mode: 'query', key: KEY });
    const keyedQ = q.sent.filter((s) => s.url !== NGD_COLLECTIONS_URL);
    expect(keyedQ).toHaveLength(ACCESS_PROBES.length);
    expect(
      keyedQ.every(
        (s) => new URL(s.url).searchParams.get('key') === KEY && Object.keys(s.init.headers ?? {}).length === 0,
      ),
    ).toBe(true);
    const o = scriptedNetwork({});
    await runAccessCheck(o.deps, 'p1', { mode: 'oauth', token: 'Q7rT2uVw9XyZ3aBc4DeF5gHi6JkL' });
    expect(
      o.sent
        .filter((s) => s.url !== NGD_COLLECTIONS_URL)
        .every(
          (s) =>
            !s.url.includes('key=') &&
            (s.init.headers as Record<string, string>)['Authorization'] === 'Bearer Q7rT2uVw9XyZ3aBc4DeF5gHi6JkL',
        ),
    ).toBe(true);
  });

  it('gives status 0 to a probe that does not answer in time, and still reports the rest', async () => {
    const net = scriptedNetwork({ names: 'hang', 'vector-tiles': { status: 200, body: '{}', delayMs: 500 } });
    const started = Date.now();
    const report = await runAccessCheck({ ...net.deps, timeoutMs: 80 }, 'p1', { mode: 'header', key: KEY });
    expect(Date.now() - started).toBeLessThan(2000);
    const byApi = Object.fromEntries(report.results.map((r) => [r.api, r]));
    expect(byApi['names']).toMatchObject({
      status: 0,
      ok: false,
      outcome: 'could-not-check',
      explanation: { title: 'Could not check: Network error' },
    });
    expect(byApi['vector-tiles']).toMatchObject({ status: 0, ok: false }); // too slow counts as no answer
    expect(byApi['maps-raster']).toMatchObject({ status: 200, ok: true });
    const aborted = net.sent.find((s) => s.api === 'names')?.init.signal;
    expect(aborted?.aborted).toBe(true);
  });

  it('keeps the status when only the body stalls', async () => {
    const stalled = new ReadableStream<Uint8Array>({ start: () => undefined }); // headers, then nothing
    const net = scriptedNetwork({ places: { status: 200, stream: stalled } });
    const report = await runAccessCheck({ ...net.deps, timeoutMs: 80 }, 'p1', { mode: 'header', key: KEY });
    expect(report.results.find((r) => r.api === 'places')).toMatchObject({ status: 200, ok: true });
  });

  it('runs at most three probes at once', async () => {
    const slow = Object.fromEntries(CURRENT_OS_APIS.map((api) => [api, { status: 200, body: '{}', delayMs: 20 }]));
    const net = scriptedNetwork(slow);
    await runAccessCheck(net.deps, 'p1', { mode: 'header', key: KEY });
    expect(net.sent).toHaveLength(ACCESS_PROBES.length + 1); // + the public NGD collections list
    expect(net.maxInFlight()).toBe(3);
  });

  it('reads at most 64 KiB of a body', async () => {
    let pulled = 0;
    const CHUNK = 16 * 1024;
    // A 1 MiB body: reading it all would show in `pulled`.
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled >= 1024 * 1024) return c.close();
        pulled += CHUNK;
        c.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
    });
    // The code that would explain the 401 lies beyond the cap, so it must not be seen.
    const net = scriptedNetwork({ names: { status: 401, stream: endless } });
    const report = await runAccessCheck(net.deps, 'p1', { mode: 'header', key: KEY });
    expect(report.results.find((r) => r.api === 'names')).toMatchObject({
      status: 401,
      explanation: { title: 'Not authorised' },
    });
    expect(pulled).toBeLessThanOrEqual(MAX_PROBE_BODY_BYTES + 2 * CHUNK); // the stream may pull one ahead
  });

  it('never returns the key, even when a body echoes it', async () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzabcdef'; // does not look like a key to the generic scrubber
    const echo = JSON.stringify({ error: { statuscode: 500, message: `upstream rejected ${letters}` } });
    const net = scriptedNetwork(Object.fromEntries(CURRENT_OS_APIS.map((api) => [api, { status: 500, body: echo }])));
    const report = await runAccessCheck(net.deps, 'p1', { mode: 'query', key: letters });
    expect(report.results.every((r) => r.status === 500)).toBe(true);
    expect(JSON.stringify(report)).not.toContain(letters);
  });
});
