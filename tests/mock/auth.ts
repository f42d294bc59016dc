// The gateway in front of every protected route (os-apis.md §2, mock requirements 1-5):
// credential extraction, project lookup, API entitlement, OAuth2 tokens and rate limiting.
import { randomBytes } from 'node:crypto';
import { ALL_APIS, type ApiName } from './classify';
import { FAULTS, json, ogcException, type Reply } from './reply';

export interface MockProject {
  key: string;
  secret?: string;
  /**
   * The project's mode on the OS Data Hub (docs/os-apis.md §0, §4): Development allows 50
   * transactions a minute per API, Live 600. Projects start in Development mode, the default.
   */
  mode?: 'dev' | 'live';
  /** The older name of `mode`, still read so that tests written before the rename keep working. */
  plan?: 'dev' | 'live';
  /** APIs added to the project; default all. */
  apis?: ApiName[];
  /** Premium data (e.g. EPSG:3857 zooms 17-20); default false = OpenData only. */
  premium?: boolean;
}

export interface Credential {
  source: 'header' | 'query' | 'bearer' | 'basic' | 'none';
  value?: string;
}

export interface IssuedToken {
  token: string;
  key: string;
  expiresAt: number;
}

/** `location`: answer with a redirect there (a token endpoint redirecting off api.os.uk). */
export type TokenFailure = null | { status: number; body?: string; location?: string } | 'hang' | 'garbage';

type Headers = Record<string, string>;

/**
 * What credential a request carries. OS accepts three places; the first non-empty one wins in
 * the order `key` header, `key` query parameter, `Authorization: Bearer`. On the token endpoint
 * a Basic Authorization is reported first, because that is the credential it authenticates
 * with (a stray DNR `key` header there is still visible in the recorded headers).
 */
export function extractCredential(headers: Headers, query: URLSearchParams, tokenEndpoint: boolean): Credential {
  const authz = headers['authorization'] ?? '';
  if (tokenEndpoint) {
    const basic = /^basic\s+(\S+)/i.exec(authz);
    // Recorded decoded as "key:secret" so tests can assert both halves.
    if (basic?.[1]) return { source: 'basic', value: Buffer.from(basic[1], 'base64').toString('utf8') };
  }
  const header = headers['key'];
  if (header) return { source: 'header', value: header };
  const q = query.get('key');
  if (q) return { source: 'query', value: q };
  const bearer = /^bearer\s+(\S+)/i.exec(authz);
  if (bearer?.[1]) return { source: 'bearer', value: bearer[1] };
  return { source: 'none' };
}

/** A project as the gateway keeps it: `mode` resolved, the older `plan` name gone. */
export type GatedProject = Required<Omit<MockProject, 'plan'>>;

export type GateResult = { ok: true; project: GatedProject } | { ok: false; reply: Reply };

export class Gateway {
  private readonly projects = new Map<string, GatedProject>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly windows = new Map<string, number[]>();
  tokenLifetimeSeconds: number;
  tokenFailure: TokenFailure = null;

  constructor(
    projects: MockProject[],
    tokenLifetimeSeconds: number,
    private readonly limits: { dev: number; live: number },
  ) {
    for (const p of projects) {
      this.projects.set(p.key, {
        key: p.key,
        secret: p.secret ?? '',
        mode: p.mode ?? p.plan ?? 'dev',
        // A withdrawn API (Match & Cleanse) is in no project, whatever the test asked for.
        apis: (p.apis ?? [...ALL_APIS]).filter((api) => ALL_APIS.includes(api)),
        premium: p.premium ?? false,
      });
    }
    this.tokenLifetimeSeconds = tokenLifetimeSeconds;
  }

  /**
   * Authenticate a request for `api` (null = a test-only route: any valid credential, no
   * entitlement check, no rate limit). Auth failures are Apigee faults, except on Downloads,
   * whose documented 401 schema is `{message}` (mock requirement 15), and a missing key on the
   * OGC services (WMTS, WFS, Vector Tile API), which OS answers with an OGC `ExceptionReport`
   * whose `exceptionCode` attribute is `FailedToResolveAPIKey` (docs/os-apis.md §0, seen 2026-07).
   */
  check(cred: Credential, api: ApiName | null, now: number, path = ''): GateResult {
    const ogc = api === 'features-wfs' || api === 'vector-tiles' || (api === 'maps-raster' && path.endsWith('/wmts'));
    const deny = (r: Reply): GateResult => ({
      ok: false,
      reply: api === 'downloads' ? json(r.status, { message: faultText(r) }) : r,
    });
    if (cred.source === 'none' && ogc) {
      return {
        ok: false,
        reply: ogcException(401, 'FailedToResolveAPIKey', 'Failed to resolve API Key variable request.queryparam.key'),
      };
    }
    let key: string;
    if (cred.source === 'header' || cred.source === 'query') {
      key = cred.value ?? '';
    } else if (cred.source === 'bearer') {
      const t = this.tokens.get(cred.value ?? '');
      if (!t) return deny(FAULTS.invalidToken());
      if (now >= t.expiresAt) return deny(FAULTS.tokenExpired());
      key = t.key;
    } else {
      return deny(FAULTS.missingKey());
    }
    const project = this.projects.get(key);
    if (!project) return deny(FAULTS.invalidKey());
    if (api === null) return { ok: true, project };
    if (!project.apis.includes(api)) return deny(FAULTS.keyNotForResource());
    if (!this.admit(`${project.key}\n${api}`, this.limits[project.mode], now)) return deny(FAULTS.rateLimited());
    return { ok: true, project };
  }

  /**
   * Sliding 60 s window per (project, API). Only admitted requests are counted, so a client
   * that backs off regains access 60 s after its earliest admitted request.
   */
  private admit(bucket: string, limit: number, now: number): boolean {
    const recent = (this.windows.get(bucket) ?? []).filter((t) => t > now - 60_000);
    const ok = recent.length < limit;
    if (ok) recent.push(now);
    this.windows.set(bucket, recent);
    return ok;
  }

  resetRateLimits(): void {
    this.windows.clear();
  }

  issued(): IssuedToken[] {
    return [...this.tokens.values()].map((t) => ({ ...t }));
  }

  /**
   * POST /oauth2/token/v1 (os-apis.md §2.3). Returns null to hang. Credentials are checked
   * before the grant type, so a bad secret is always `invalid_client`.
   */
  tokenEndpoint(method: string, headers: Headers, body: string, now: number): Reply | null {
    if (method !== 'POST') {
      return {
        ...json(405, { ErrorCode: 'invalid_request', Error: 'Method not allowed' }),
        headers: { 'Content-Type': 'application/json', Allow: 'POST' },
      };
    }
    const failure = this.tokenFailure;
    if (failure === 'hang') return null;
    if (failure === 'garbage')
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: '<html><body>502 Bad Gateway</body></html>',
      };
    if (failure) {
      const location: Record<string, string> = failure.location ? { Location: failure.location } : {};
      return {
        status: failure.status,
        headers: { 'Content-Type': 'application/json', ...location },
        body: failure.body ?? JSON.stringify({ ErrorCode: 'server_error', Error: 'Injected failure' }),
      };
    }

    const basic = /^basic\s+(\S+)/i.exec(headers['authorization'] ?? '');
    const decoded = basic?.[1] ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const project = colon > 0 ? this.projects.get(decoded.slice(0, colon)) : undefined;
    if (!project || !project.secret || project.secret !== decoded.slice(colon + 1)) {
      return json(401, { ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' });
    }
    const grant = new URLSearchParams(body).get('grant_type');
    if (grant === null) return json(400, { ErrorCode: 'invalid_request', Error: 'Required param : grant_type' });
    if (grant !== 'client_credentials') {
      return json(400, { ErrorCode: 'unsupported_grant_type', Error: `Unsupported grant type : ${grant}` });
    }
    // 28 alphanumerics, like the opaque Apigee tokens OS issues (not a JWT).
    const token = randomBytes(32)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .padEnd(28, 'x')
      .slice(0, 28);
    const lifetime = this.tokenLifetimeSeconds;
    this.tokens.set(token, { token, key: project.key, expiresAt: now + lifetime * 1000 });
    // All four values are strings on the wire (§2.3), which is what clients must parse.
    return json(200, {
      access_token: token,
      expires_in: String(lifetime),
      issued_at: String(now),
      token_type: 'Bearer',
    });
  }
}

function faultText(r: Reply): string {
  try {
    const parsed = JSON.parse(String(r.body)) as { fault?: { faultstring?: string } };
    return parsed.fault?.faultstring ?? 'Unauthorized';
  } catch {
    return 'Unauthorized';
  }
}
