import { describe, expect, it } from 'vitest';
import { parseTokenResponse, parseTokenResponseText } from './token-response';

const T0 = 1_700_000_000_000;

describe('parseTokenResponse', () => {
  it('accepts OS’s all-string answer; expiry counts from when the request was sent', () => {
    const body = {
      access_token: 'ZclClFcksJlZ19vnJOt09Yj3xme0',
      expires_in: '299',
      issued_at: '1576249823754',
      token_type: 'Bearer',
    };
    expect(parseTokenResponse(body, T0)).toEqual({
      ok: true,
      token: {
        accessToken: 'ZclClFcksJlZ19vnJOt09Yj3xme0',
        obtainedAt: T0,
        expiresAt: T0 + 299_000,
        lifetimeMs: 299_000,
      },
    });
  });

  it('accepts numbers too, and a missing token_type/issued_at', () => {
    expect(parseTokenResponse({ access_token: 'abc', expires_in: 40 }, T0)).toMatchObject({
      ok: true,
      token: { expiresAt: T0 + 40_000 },
    });
    expect(parseTokenResponse({ access_token: 'abc', expires_in: ' 30 ', token_type: 'bearer' }, T0)).toMatchObject({
      ok: true,
      token: { lifetimeMs: 30_000 },
    });
  });

  it.each([
    [null, /unusable answer/],
    ['token', /unusable answer/],
    [{ expires_in: '299' }, /access_token/],
    [{ access_token: '', expires_in: '299' }, /access_token: empty/],
    [{ access_token: 'has space', expires_in: '299' }, /access_token: not a printable token/],
    [{ access_token: 'abc' }, /expires_in/],
    [{ access_token: 'abc', expires_in: 'soon' }, /\(expires_in: /],
    [{ access_token: 'abc', expires_in: '30s' }, /\(expires_in: /],
    [{ access_token: 'abc', expires_in: '30.' }, /\(expires_in: /],
    [{ access_token: 'abc', expires_in: '-5' }, /expires_in/],
    [{ access_token: 'abc', expires_in: '1' }, /lasting 1 s, outside/],
    [{ access_token: 'abc', expires_in: 'Infinity' }, /expires_in/],
    [{ access_token: 'abc', expires_in: 1e12 }, /outside the accepted/],
    [{ access_token: 'abc', expires_in: '299', token_type: 'MAC' }, /“MAC” token, not a Bearer/],
    [{ access_token: 123, expires_in: '299' }, /access_token/],
  ])('rejects %j with a clear message', (body, message) => {
    const result = parseTokenResponse(body, T0);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });

  it('accepts the lifetime limits themselves (5 s and 24 h) and a fraction of a second', () => {
    expect(parseTokenResponse({ access_token: 'abc', expires_in: '5' }, T0)).toMatchObject({
      ok: true,
      token: { lifetimeMs: 5_000 },
    });
    expect(parseTokenResponse({ access_token: 'abc', expires_in: '86400' }, T0)).toMatchObject({
      ok: true,
      token: { lifetimeMs: 86_400_000 },
    });
    expect(parseTokenResponse({ access_token: 'abc', expires_in: '29.95' }, T0)).toMatchObject({
      ok: true,
      token: { lifetimeMs: 29_950, expiresAt: T0 + 29_950 },
    });
    expect(parseTokenResponse({ access_token: 'abc', expires_in: '4.999' }, T0)).toMatchObject({ ok: false });
  });

  it('a body that is not an object names no field', () => {
    expect(parseTokenResponse(null, T0)).toEqual({ ok: false, error: 'The token endpoint sent an unusable answer.' });
  });

  it('quotes at most 20 characters of an unexpected token type', () => {
    const result = parseTokenResponse(
      { access_token: 'abc', expires_in: '299', token_type: `MAC${'x'.repeat(500)}` },
      T0,
    );
    expect(result).toEqual({
      ok: false,
      error: `The token endpoint sent a “MAC${'x'.repeat(17)}” token, not a Bearer token.`,
    });
  });

  it('never echoes the token in an error', () => {
    const result = parseTokenResponse(
      { access_token: 'SECRET-TOKEN-VALUE', expires_in: '1', token_type: 'Bearer' },
      T0,
    );
    expect(!result.ok && result.error).not.toContain('SECRET-TOKEN-VALUE');
  });

  it('parseTokenResponseText: HTML or truncated JSON is an error, not an exception', () => {
    expect(parseTokenResponseText('<html>502 Bad Gateway</html>', T0)).toEqual({
      ok: false,
      error: 'The token endpoint sent something that is not JSON.',
    });
    expect(parseTokenResponseText('{"access_token":"abc","expi', T0)).toMatchObject({ ok: false });
  });
});

describe('service text in token errors', () => {
  it('a token type or a field value echoed into the message is scrubbed', () => {
    const key = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    const typed = parseTokenResponse({ access_token: 'T', expires_in: '299', token_type: `key=${key}` }, 0);
    expect(typed.ok).toBe(false);
    if (!typed.ok) expect(typed.error).not.toContain(key.slice(0, 12));
    const field = parseTokenResponse({ access_token: 'T', expires_in: `soon ${key}` }, 0);
    expect(field.ok).toBe(false);
    if (!field.ok) expect(field.error).not.toContain(key);
  });
});
