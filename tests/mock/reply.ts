// Response values and the error body shapes of os-apis.md §3.2. Route handlers return a Reply
// (or null to hang); the server adds the cross-cutting headers (Cache-Control, CORS).
import type { ApiName } from './classify';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function json(status: number, value: unknown, contentType = 'application/json'): Reply {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(value) };
}

export function xml(status: number, body: string): Reply {
  return { status, headers: { 'Content-Type': 'application/xml;charset=UTF-8' }, body };
}

/** Apigee gateway error (§3.2.1): auth failures, expired tokens, rate limits, unknown proxies. */
export function fault(status: number, faultstring: string, errorcode: string): Reply {
  return json(status, { fault: { faultstring, detail: { errorcode } } });
}

// Gateway faults. Texts of the ones marked [doc] come from os-apis.md; the others are Apigee's
// stock messages, which OS has not been seen to customise.
export const FAULTS = {
  /** No credential at all. Apigee's stock "FailedToResolveAPIKey" (doc allows it for a missing key). */
  missingKey: () =>
    fault(401, 'Failed to resolve API Key variable request.header.key', 'steps.oauth.v2.FailedToResolveAPIKey'),
  /** [doc] Unknown key. */
  invalidKey: () => fault(401, 'Invalid ApiKey', 'oauth.v2.InvalidApiKey'),
  /** [doc] Known key whose project lacks the API (or Premium access for Premium data). */
  keyNotForResource: () => fault(401, 'Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
  /** [doc] Bearer token issued by us but past its lifetime. */
  tokenExpired: () => fault(401, 'Access Token expired', 'keymanagement.service.access_token_expired'),
  /** Bearer token we never issued (text unverified; Apigee stock). */
  invalidToken: () => fault(401, 'Invalid access token', 'oauth.v2.InvalidAccessToken'),
  /** Rate limit (doc: body unverified; Apigee stock quota violation). No rate-limit headers. */
  rateLimited: () =>
    fault(
      429,
      'Rate limit quota violation. Quota limit exceeded. Identifier : _default',
      'policies.ratelimit.QuotaViolation',
    ),
  /** Apigee's answer for a base path that no proxy serves. */
  noProxy: (path: string) =>
    fault(
      404,
      `Unable to identify proxy for host: default and url: ${path}`,
      'messaging.adaptors.http.flow.ApplicationNotFound',
    ),
};

/** OGC ExceptionReport, the historic WMTS/WFS error format. */
export function ogcException(status: number, code: string, text: string): Reply {
  return xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">` +
      `<ows:Exception exceptionCode="${code}"><ows:ExceptionText>${escapeXml(text)}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
  );
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * An RFC 7807-style problem as the NGD APIs and OS Net send it (docs/os-apis.md §0, §3.2): `type`,
 * `title`, `status`, `detail`, plus NGD's own `code` and `description` (which OS's wrappers read).
 */
export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Reply {
  return json(
    status,
    { type: 'about:blank', title: REASONS[status] ?? 'Error', status, detail, ...extra },
    'application/problem+json',
  );
}

/**
 * A backend (not gateway) error in the shape the given API uses (docs/os-apis.md §0, §3.2):
 * NGD → RFC 7807-style with `code`/`description`/`help`; OS Net → RFC 7807 (its OpenAPI says
 * application/problem+json); Downloads → {message}; WMTS/WFS → OGC XML; Names/Places/Linked
 * IDs/VTS/ZXY → Places-style {error:{statuscode, message}} (only Places is documented).
 */
export function apiError(api: ApiName | null, status: number, message: string, path = ''): Reply {
  if (api === 'ngd-features' || api === 'ngd-tiles') {
    return problem(status, message, {
      code: status,
      description: message,
      help: 'https://docs.os.uk/osngd/accessing-os-ngd/access-the-os-ngd-api',
    });
  }
  if (api === 'os-net') return problem(status, message);
  if (api === 'downloads') return json(status, { message });
  if (api === 'features-wfs' || (api === 'maps-raster' && path.endsWith('/wmts'))) {
    return ogcException(status, status === 404 ? 'NotFound' : 'InvalidParameterValue', message);
  }
  return json(status, { error: { statuscode: status, message } });
}

export function methodNotAllowed(api: ApiName | null, allowed: readonly string[], path: string): Reply {
  const r = apiError(api, 405, `Method not allowed. Allowed: ${allowed.join(', ')}`, path);
  return { ...r, headers: { ...r.headers, Allow: allowed.join(', ') } };
}

export function escapeXml(s: string): string {
  const named: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
  return s.replace(/[<>&"']/g, (c) => named[c] ?? c);
}
