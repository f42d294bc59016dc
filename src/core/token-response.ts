/**
 * Parsing the OS token endpoint's answer. OS sends every value as a JSON string
 * (`"expires_in":"299"`, `"issued_at":"1576249823754"` in epoch ms); numbers are accepted too.
 * Anything malformed is an error with a plain message, never a token.
 */
import { scrubServiceText } from './error-body';
import * as v from 'valibot';

export interface AccessToken {
  accessToken: string;
  /** Local clock, ms: when to stop using it. Counted from when the request was *sent*, so never late. */
  expiresAt: number;
  /** Local clock, ms: when it was obtained (request sent). */
  obtainedAt: number;
  /** Lifetime the server granted, ms. */
  lifetimeMs: number;
}

/** A number, or a string of digits (optionally with a fraction), as OS sends them. */
const NumberLike = v.union([
  v.pipe(v.number(), v.finite()),
  v.pipe(v.string(), v.trim(), v.regex(/^\d+(\.\d+)?$/, 'not a number'), v.transform(Number)),
]);

const TokenResponseSchema = v.object({
  access_token: v.pipe(
    v.string(),
    v.minLength(1, 'empty'),
    v.maxLength(4096),
    v.regex(/^[\x21-\x7e]+$/, 'not a printable token'),
  ),
  expires_in: NumberLike,
  token_type: v.optional(v.string()),
  issued_at: v.optional(NumberLike),
});

/** Shortest and longest lifetimes we accept; anything outside is treated as a malformed answer. */
export const MIN_LIFETIME_MS = 5_000;
export const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function parseTokenResponse(
  body: unknown,
  requestedAt: number,
): { ok: true; token: AccessToken } | { ok: false; error: string } {
  const parsed = v.safeParse(TokenResponseSchema, body);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const field = issue.path?.map((p) => String(p.key)).join('.');
    return {
      ok: false,
      error: `The token endpoint sent an unusable answer${field ? ` (${field}: ${scrubServiceText(issue.message)})` : ''}.`,
    };
  }
  const { access_token: accessToken, expires_in: expiresIn, token_type: tokenType } = parsed.output;
  if (tokenType !== undefined && tokenType.toLowerCase() !== 'bearer') {
    return {
      ok: false,
      error: `The token endpoint sent a “${scrubServiceText(tokenType).slice(0, 20)}” token, not a Bearer token.`,
    };
  }
  const lifetimeMs = Math.floor(expiresIn * 1000);
  if (lifetimeMs < MIN_LIFETIME_MS || lifetimeMs > MAX_LIFETIME_MS) {
    return {
      ok: false,
      error: `The token endpoint sent a token lasting ${expiresIn} s, outside the accepted 5 s to 24 h.`,
    };
  }
  return { ok: true, token: { accessToken, obtainedAt: requestedAt, expiresAt: requestedAt + lifetimeMs, lifetimeMs } };
}

/** Parse the body text first: a non-JSON body is an error, not an exception. */
export function parseTokenResponseText(text: string, requestedAt: number): ReturnType<typeof parseTokenResponse> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The token endpoint sent something that is not JSON.' };
  }
  return parseTokenResponse(body, requestedAt);
}
