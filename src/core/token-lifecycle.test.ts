import { describe, expect, it } from 'vitest';
import {
  EMPTY_TOKEN_STATUS,
  backoffMs,
  classifyTokenHttpFailure,
  isUsable,
  needsRefresh,
  nextCheckAt,
  refreshDueAt,
  refreshMarginMs,
} from './token-lifecycle';
import type { AccessToken } from './token-response';

const token = (lifetimeS: number, obtainedAt = 0): AccessToken => ({
  accessToken: 'T',
  obtainedAt,
  expiresAt: obtainedAt + lifetimeS * 1000,
  lifetimeMs: lifetimeS * 1000,
});

describe('refresh margin', () => {
  it.each([
    [30, 7_500],
    [40, 10_000],
    [299, 60_000],
    [3600, 60_000],
    [10, 5_000],
  ])('a %i s token refreshes %i ms before expiry', (lifetime, margin) => {
    expect(refreshMarginMs(lifetime * 1000)).toBe(margin);
    expect(refreshDueAt(token(lifetime))).toBe(lifetime * 1000 - margin);
  });

  it('always leaves time for at least two retries before the expiry guard', () => {
    for (const lifetime of [30, 40, 60, 299, 600, 3600]) {
      const t = token(lifetime);
      const window = t.expiresAt - 2_000 - refreshDueAt(t);
      expect(window).toBeGreaterThanOrEqual(backoffMs(1) + backoffMs(2) - 0.5 * 1000);
    }
  });
});

describe('usability and refresh', () => {
  it('a token is usable until 2 s before it expires', () => {
    expect(isUsable(token(40), 37_999)).toBe(true);
    expect(isUsable(token(40), 38_000)).toBe(false);
    expect(isUsable(undefined, 0)).toBe(false);
  });
  it('needs refresh when missing or past the due time', () => {
    expect(needsRefresh(undefined, 0)).toBe(true);
    expect(needsRefresh(token(40), 29_999)).toBe(false);
    expect(needsRefresh(token(40), 30_000)).toBe(true);
  });
  it('backs off 2, 4, 8, … capped at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(backoffMs)).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });
});

describe('classifyTokenHttpFailure', () => {
  it('401 invalid_client is a rejection the user must fix', () => {
    expect(
      classifyTokenHttpFailure(401, '{"ErrorCode":"invalid_client","Error":"Client credentials are invalid"}'),
    ).toMatchObject({
      kind: 'rejected',
      message: expect.stringMatching(/rejected this project’s API key or secret/),
    });
  });
  it('5xx, 429 and garbage are transient', () => {
    expect(classifyTokenHttpFailure(500, 'oops').kind).toBe('transient');
    expect(classifyTokenHttpFailure(503, '').message).toBe('The token endpoint failed (HTTP 503).');
    expect(classifyTokenHttpFailure(429, '{}').kind).toBe('transient');
  });
  it('403 (a project not allowed to use OAuth) is a rejection, never retried', () => {
    const failure = classifyTokenHttpFailure(403, '{"error":"access_denied"}');
    expect(failure).toEqual({
      kind: 'rejected',
      status: 403,
      message: 'The token endpoint refused the request (HTTP 403, access_denied).',
    });
    // A rejection waits for the user to fix the project: no retry is scheduled.
    expect(nextCheckAt(undefined, { ...EMPTY_TOKEN_STATUS, lastError: failure, failures: 1 }, 5)).toBeNull();
    expect(classifyTokenHttpFailure(403, 'Forbidden')).toEqual({
      kind: 'rejected',
      status: 403,
      message: 'The token endpoint refused the request (HTTP 403).',
    });
  });
  it('the error code is service text: a key, token or control characters in it are scrubbed before the popup, alerts or notifications see it', () => {
    const key = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    const failure = classifyTokenHttpFailure(
      400,
      JSON.stringify({ ErrorCode: `bad_key key=${key}\nBearer tok3n123456 ${key}` }),
    );
    expect(failure.message).not.toContain(key);
    expect(failure.message).not.toContain('tok3n123456');
    expect(failure.message).not.toMatch(/\n/);
    expect(failure.message).toMatch(/^The token endpoint refused the request \(HTTP 400, bad_key key=…redacted…/);
    expect(classifyTokenHttpFailure(403, JSON.stringify({ error: 'x'.repeat(500) })).message.length).toBeLessThan(120);
  });
  it('401 without a readable body still asks the user to check the key and secret', () => {
    expect(classifyTokenHttpFailure(401, '<html>Unauthorized</html>')).toEqual({
      kind: 'rejected',
      status: 401,
      message:
        'OS rejected this project’s API key or secret (invalid_client). Check both on the OS Data Hub, then edit the project.',
    });
  });
  it('invalid_client under another status (400) is still the key or secret', () => {
    expect(classifyTokenHttpFailure(400, '{"error":"invalid_client"}').message).toMatch(
      /^OS rejected this project’s API key or secret/,
    );
  });
  it('an error code that is not a string is not quoted', () => {
    expect(classifyTokenHttpFailure(403, '{"ErrorCode":{"code":7}}').message).toBe(
      'The token endpoint refused the request (HTTP 403).',
    );
    expect(classifyTokenHttpFailure(403, '{"error":42}').message).toBe(
      'The token endpoint refused the request (HTTP 403).',
    );
  });
  it('429 says it is rate limiting, and is retried', () => {
    expect(classifyTokenHttpFailure(429, '{}')).toEqual({
      kind: 'transient',
      status: 429,
      message: 'The token endpoint is rate limiting (HTTP 429).',
    });
  });
  it('400 (e.g. an unsupported grant) is a rejection', () => {
    expect(classifyTokenHttpFailure(400, '{"ErrorCode":"unsupported_grant_type"}')).toMatchObject({
      kind: 'rejected',
      message: expect.stringMatching(/unsupported_grant_type/),
    });
  });
});

describe('nextCheckAt', () => {
  it('no token and no retry pending: now', () => {
    expect(nextCheckAt(undefined, EMPTY_TOKEN_STATUS, 5)).toBe(5);
  });
  it('with a token: its refresh time', () => {
    expect(nextCheckAt(token(299, 1000), EMPTY_TOKEN_STATUS, 2000)).toBe(1000 + 239_000);
  });
  it('while retrying: the retry time, or the expiry guard if that comes first', () => {
    const status = {
      ...EMPTY_TOKEN_STATUS,
      retryAt: 35_000,
      failures: 1,
      lastError: { kind: 'transient' as const, message: 'x' },
    };
    expect(nextCheckAt(token(40), status, 31_000)).toBe(35_000);
    expect(nextCheckAt(token(40), { ...status, retryAt: 39_000 }, 31_000)).toBe(38_000);
  });
  it('no token while a retry is pending: the retry time, not now (the back-off holds)', () => {
    const status = {
      ...EMPTY_TOKEN_STATUS,
      retryAt: 35_000,
      failures: 2,
      lastError: { kind: 'transient' as const, message: 'x' },
    };
    expect(nextCheckAt(undefined, status, 31_000)).toBe(35_000);
  });
  it('after a rejection: nothing until the user acts', () => {
    expect(
      nextCheckAt(undefined, { ...EMPTY_TOKEN_STATUS, lastError: { kind: 'rejected', message: 'x' } }, 0),
    ).toBeNull();
  });
});
