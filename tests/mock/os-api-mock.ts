// Local HTTPS stand-in for api.os.uk (and any other host mapped to it) for unit and e2e tests.
// One server on 127.0.0.1; the Host header decides between the OS API and a plain echo, so a
// single Chromium --host-resolver-rules mapping covers api.os.uk, example.test and blob.test.
// See README.md in this folder for the behaviour and os-apis.md for where it comes from.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  extractCredential,
  Gateway,
  type Credential,
  type GatedProject,
  type IssuedToken,
  type MockProject,
  type TokenFailure,
} from './auth';
import { getTlsMaterial } from './cert';
import { classifyOsApiPath } from './classify';
import { ForcedAnswers, type ForcedStatus } from './forced';
import { apiError, FAULTS, fault, json, methodNotAllowed, type Reply } from './reply';
import { ROUTES } from './routes';
import { matchRoute } from './routing';

export { ALL_APIS, classifyOsApiPath, type ApiName } from './classify';
export type { Credential, MockProject } from './auth';
export type { ForcedStatus } from './forced';
export { BLOB_HOST } from './routes-downloads';

export const OS_API_HOST = 'api.os.uk';
/** Longest request line (path and query) the mock accepts; Apigee's default limit is 7 KiB. */
export const MAX_REQUEST_LINE = 7 * 1024;
export const TOKEN_PATH = '/oauth2/token/v1';

export interface RecordedRequest {
  seq: number;
  /** Date.now() at arrival. */
  time: number;
  /** Host header without port, lower-cased. */
  host: string;
  method: string;
  /** Path without the query string, as received (not decoded). */
  path: string;
  /** Path + query as received. */
  url: string;
  /** First value of each query parameter. */
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ', ' (Node's rule). */
  headers: Record<string, string>;
  /** First of: key header, key query, Bearer. On the token endpoint a Basic credential comes first, decoded as "key:secret". */
  credential: Credential;
  /** Status the mock answered; 0 while a request is deliberately left hanging. */
  status: number;
  body?: string;
}

export interface OsApiMock {
  port: number;
  requests: RecordedRequest[];
  clear(): void;
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  setTokenLifetime(seconds: number): void;
  failTokenEndpoint(mode: TokenFailure): void;
  issuedTokens(): IssuedToken[];
  /** Extra: forget all rate-limit windows (e.g. between e2e tests sharing one mock). */
  resetRateLimits(): void;
  /**
   * Extra: answer matching api.os.uk requests (not preflights) with a forced status and OS-shaped
   * body, after recording them as usual. A list is tried in order; null clears. See README.md.
   */
  forceStatus(rules: ForcedStatus | readonly ForcedStatus[] | null): void;
  close(): Promise<void>;
}

export interface StartOsApiMockOptions {
  projects: MockProject[];
  /** Default 299, like OS. */
  tokenLifetimeSeconds?: number;
  /** Per (project, API) per sliding minute, by the project's mode. Default dev 50, live 600 (OS's published limits). */
  rateLimitPerMinute?: { dev: number; live: number };
  /** Default 0 = random free port. */
  port?: number;
  /**
   * Extra: whether error responses (>= 400) from api.os.uk carry Access-Control-Allow-Origin.
   * Default true; OS's behaviour is unverified, so tests can try both.
   */
  corsOnErrors?: boolean;
  /** Extra: delay every answer by this many ms (a realistic server latency for benchmarks). Default 0. */
  latencyMs?: number;
}

// Preflights never need auth (browsers send no credentials on them). The header list is our
// choice (OS's exact list is unverified); max-age 0 so that every test sees its own preflight.
const PREFLIGHT: Reply = {
  status: 204,
  headers: {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'key, authorization, content-type',
    'Access-Control-Max-Age': '0',
  },
};

interface Waiter {
  pred: (r: RecordedRequest) => boolean;
  resolve: (r: RecordedRequest) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Incoming {
  method: string;
  path: string;
  url: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  credential: Credential;
  now: number;
}

export async function startOsApiMock(opts: StartOsApiMockOptions): Promise<OsApiMock> {
  const tls = getTlsMaterial();
  const gateway = new Gateway(
    opts.projects,
    opts.tokenLifetimeSeconds ?? 299,
    opts.rateLimitPerMinute ?? { dev: 50, live: 600 },
  );
  const corsOnErrors = opts.corsOnErrors ?? true;
  const latencyMs = opts.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const waiters = new Set<Waiter>();
  const forced = new ForcedAnswers();
  let seq = 0;

  function record(r: RecordedRequest): void {
    // Bodies arrive asynchronously, so keep the log in arrival (seq) order explicitly.
    let i = requests.length;
    while (i > 0 && (requests[i - 1]?.seq ?? 0) > r.seq) i--;
    requests.splice(i, 0, r);
    for (const w of waiters) {
      let hit: boolean;
      try {
        hit = w.pred(r);
      } catch (e) {
        settle(w);
        w.reject(e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      if (hit) {
        settle(w);
        w.resolve(r);
      }
    }
  }

  function settle(w: Waiter): void {
    clearTimeout(w.timer);
    waiters.delete(w);
  }

  function osApi(req: Incoming): Reply | null {
    const { method, path } = req;
    if (method === 'OPTIONS') return PREFLIGHT;
    // The token endpoint has its own failure switch (failTokenEndpoint), so `forceStatus` with a
    // broad prefix such as '/' still lets OAuth projects get tokens.
    if (path === TOKEN_PATH) return gateway.tokenEndpoint(method, req.headers, req.body, req.now);
    // The gateway refuses an over-long request line before anything else, as Apigee does with
    // `protocol.http.TooBigLine` (HTTP 414; OS's Python wrapper handles it, docs/os-apis.md §0).
    if (req.url.length > MAX_REQUEST_LINE) return fault(414, 'Request line too long', 'protocol.http.TooBigLine');
    const api = classifyOsApiPath(path);
    // Before auth and routing: a forced answer stands in for whatever OS would have said.
    const forcedReply = forced.take(api === 'oauth' ? null : api, path);
    if (forcedReply) return forcedReply;
    const m = matchRoute(ROUTES, method, path);
    if (m.kind === 'none' && (api === null || api === 'oauth')) return FAULTS.noProxy(path);
    const routeApi = m.kind === 'none' ? (api === 'oauth' ? null : api) : m.route.api;
    // Gateway before backend: a wrong key on a bad path is a 401, as at Apigee.
    let project: GatedProject | null = null;
    if (!(m.kind !== 'none' && m.route.public)) {
      const gate = gateway.check(req.credential, routeApi, req.now, path);
      if (!gate.ok) return gate.reply;
      project = gate.project;
    }
    if (m.kind === 'none') return apiError(routeApi, 404, `Resource not found: ${path}`, path);
    if (m.kind === 'wrong-method') return methodNotAllowed(routeApi, m.allowed, path);
    return m.route.handle({ ...req, params: m.params, project });
  }

  // Anything that is not api.os.uk: answer 200 with what arrived, readable cross-origin, so
  // tests can prove that key/Authorization never leave for other hosts.
  function otherHost(host: string, req: Incoming): Reply {
    const echo = json(200, { host, method: req.method, url: req.url, headers: req.headers });
    if (req.method !== 'OPTIONS') return echo;
    return {
      ...echo,
      headers: {
        ...echo.headers,
        'Access-Control-Allow-Methods':
          req.headers['access-control-request-method'] ?? 'GET, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
        'Access-Control-Max-Age': '0',
      },
    };
  }

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const arrival = { seq: ++seq, time: Date.now() };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined); // client aborts are normal in browser tests
    req.on('end', () => {
      const url = req.url ?? '/';
      const qi = url.indexOf('?');
      const headers = flatten(req.headers);
      const host = hostOf(headers['host'] ?? '');
      const incoming: Incoming = {
        method: req.method ?? 'GET',
        path: qi === -1 ? url : url.slice(0, qi),
        url,
        query: new URLSearchParams(qi === -1 ? '' : url.slice(qi + 1)),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        credential: { source: 'none' },
        now: arrival.time,
      };
      incoming.credential = extractCredential(
        headers,
        incoming.query,
        host === OS_API_HOST && incoming.path === TOKEN_PATH,
      );
      let reply: Reply | null;
      try {
        reply = host === OS_API_HOST ? osApi(incoming) : otherHost(host, incoming);
      } catch (e) {
        reply = json(500, { error: `os-api-mock internal error: ${String(e)}` });
      }
      const rec: RecordedRequest = {
        ...arrival,
        host,
        method: incoming.method,
        path: incoming.path,
        url,
        query: firstValues(incoming.query),
        headers,
        credential: incoming.credential,
        status: reply?.status ?? 0,
        ...(incoming.body ? { body: incoming.body } : {}),
      };
      record(rec);
      // null = 'hang': leave the response open
      if (reply && latencyMs > 0) setTimeout(() => send(res, reply, corsOnErrors), latencyMs);
      else if (reply) send(res, reply, corsOnErrors);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    requests,
    clear: () => void requests.splice(0),
    waitForRequest(pred, timeoutMs = 5000) {
      return new Promise<RecordedRequest>((resolve, reject) => {
        try {
          const found = requests.find(pred);
          if (found) return resolve(found);
        } catch (e) {
          return reject(e instanceof Error ? e : new Error(String(e)));
        }
        const w: Waiter = {
          pred,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(w);
            const seen = requests
              .slice(-10)
              .map((r) => `  #${r.seq} ${r.method} ${r.host}${r.url} -> ${r.status} (${r.credential.source})`);
            reject(
              new Error(
                `os-api-mock: no matching request within ${timeoutMs} ms. ` +
                  `${requests.length} request(s) recorded${seen.length ? `; last ${seen.length}:\n${seen.join('\n')}` : ''}`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(w);
      });
    },
    setTokenLifetime: (s) => void (gateway.tokenLifetimeSeconds = s),
    failTokenEndpoint: (mode) => void (gateway.tokenFailure = mode),
    issuedTokens: () => gateway.issued(),
    resetRateLimits: () => gateway.resetRateLimits(),
    forceStatus: (rules) => forced.set(rules),
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of waiters) {
          settle(w);
          w.reject(new Error('os-api-mock: closed while waiting for a request'));
        }
        server.close(() => resolve());
        server.closeAllConnections(); // includes keep-alive sockets and hanging token requests
      }),
  };
}

function send(res: ServerResponse, reply: Reply, corsOnErrors: boolean): void {
  const headers: Record<string, string> = { ...reply.headers };
  // Tests switch credentials between identical requests; a cached answer would hide the switch.
  headers['Cache-Control'] ??= 'no-store';
  if (corsOnErrors || reply.status < 400) headers['Access-Control-Allow-Origin'] ??= '*';
  const body = reply.body ?? '';
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}

function flatten(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function firstValues(q: URLSearchParams): Record<string, string> {
  const seen = new Map<string, string>();
  for (const [k, v] of q) if (!seen.has(k)) seen.set(k, v);
  return Object.fromEntries(seen);
}

function hostOf(hostHeader: string): string {
  const h = hostHeader.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0] ?? '';
}
