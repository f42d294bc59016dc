/**
 * When to refresh an OAuth token, when to stop using it, and how to back off after failures.
 * Pure: every function takes `now`.
 */
import { scrubServiceText } from './error-body';
import { EXPIRY_GUARD_MS } from './token-guard';
import type { AccessToken } from './token-response';

/** Stop attaching a token this long before it expires (re-exported for existing importers). */
export { EXPIRY_GUARD_MS };

/**
 * Refresh this long before expiry: a quarter of the lifetime, at least 5 s and at most 60 s.
 * 30 s tokens refresh at 22.5 s, OS's 299 s tokens at 239 s, hour-long tokens 60 s early. The
 * margin also leaves room for retries while the current token is still good.
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(5_000, lifetimeMs / 4));
}

export function refreshDueAt(token: AccessToken): number {
  return token.expiresAt - refreshMarginMs(token.lifetimeMs);
}

/** Whether the token may still be put on a request. */
export function isUsable(token: AccessToken | undefined, now: number): token is AccessToken {
  return token !== undefined && now < token.expiresAt - EXPIRY_GUARD_MS;
}

export function needsRefresh(token: AccessToken | undefined, now: number): boolean {
  return token === undefined || now >= refreshDueAt(token);
}

/** Capped exponential backoff: 2 s, 4 s, 8 s, … up to 60 s. `attempt` counts failures so far (1 = first). */
export function backoffMs(attempt: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, attempt - 1));
}

/** How a failed token request is treated. */
export type TokenFailureKind = 'rejected' | 'transient';

export interface TokenFailure {
  kind: TokenFailureKind;
  /** Plain-language message for the popup; never contains the key, secret or token. */
  message: string;
  status?: number;
}

/** Classify a non-200 answer from the token endpoint. */
export function classifyTokenHttpFailure(status: number, bodyText: string): TokenFailure {
  let code = '';
  try {
    const body = JSON.parse(bodyText) as { ErrorCode?: unknown; error?: unknown };
    const raw = body.ErrorCode ?? body.error;
    // Service text, shown in the popup, alerts and notifications: scrubbed like any other (a key or
    // token echoed back is hidden), and short.
    code = typeof raw === 'string' ? scrubServiceText(raw).slice(0, 60) : '';
  } catch {
    /* not JSON: status decides */
  }
  if (status === 401 || code === 'invalid_client') {
    return {
      kind: 'rejected',
      status,
      message:
        'OS rejected this project’s API key or secret (invalid_client). Check both on the OS Data Hub, then edit the project.',
    };
  }
  if (status === 400 || status === 403) {
    return {
      kind: 'rejected',
      status,
      message: `The token endpoint refused the request (HTTP ${status}${code ? `, ${code}` : ''}).`,
    };
  }
  if (status === 429) return { kind: 'transient', status, message: 'The token endpoint is rate limiting (HTTP 429).' };
  return { kind: 'transient', status, message: `The token endpoint failed (HTTP ${status}).` };
}

/** Per-project refresh status: what the popup shows. Contains no secrets. */
export interface TokenStatus {
  /** When the current token was obtained (ms), if any. */
  lastRefreshAt: number | null;
  /** When the current token expires (ms), if any. */
  expiresAt: number | null;
  /** The last failure, cleared by the next success. */
  lastError: TokenFailure | null;
  /** Failures in a row. */
  failures: number;
  /** When the next retry is due (transient failures only). */
  retryAt: number | null;
}

export const EMPTY_TOKEN_STATUS: TokenStatus = {
  lastRefreshAt: null,
  expiresAt: null,
  lastError: null,
  failures: 0,
  retryAt: null,
};

/** When the background should next look at a project: refresh due, retry due, or expiry guard. */
export function nextCheckAt(token: AccessToken | undefined, status: TokenStatus, now: number): number | null {
  if (status.lastError?.kind === 'rejected') return null; // wait for the user to fix the project
  const candidates: number[] = [];
  if (status.retryAt !== null) candidates.push(status.retryAt);
  if (token) {
    candidates.push(status.retryAt === null ? refreshDueAt(token) : Number.POSITIVE_INFINITY);
    candidates.push(token.expiresAt - EXPIRY_GUARD_MS); // drop the rule on time if refreshing keeps failing
  }
  if (!token && status.retryAt === null) candidates.push(now);
  const finite = candidates.filter(Number.isFinite);
  return finite.length ? Math.min(...finite) : null;
}
