import { describe, expect, it } from 'vitest';
import { credentialOf, secretOf, sentAs } from './credential';

const token = (accessToken: string, expiresAt: number) => ({
  accessToken,
  expiresAt,
  obtainedAt: 0,
  lifetimeMs: expiresAt,
});

describe('credentialOf: what a project attaches right now', () => {
  it('a key project: its key, in its own mode', () => {
    expect(credentialOf({ id: 'a', authMode: 'header', key: 'K1' })).toEqual({ mode: 'header', key: 'K1' });
    expect(credentialOf({ id: 'a', authMode: 'query', key: 'K1' })).toEqual({ mode: 'query', key: 'K1' });
  });

  it('a key project without a key (locked, or forgotten): nothing', () => {
    expect(credentialOf({ id: 'a', authMode: 'header', key: '' })).toBeNull();
  });

  it('an OAuth project: its token only while it is good, never the key instead', () => {
    const tokens = { a: token('T1', 1_000_000) };
    expect(credentialOf({ id: 'a', authMode: 'oauth', key: 'K1' }, tokens, 0)).toEqual({ mode: 'oauth', token: 'T1' });
    expect(credentialOf({ id: 'a', authMode: 'oauth', key: 'K1' }, tokens, 1_000_000)).toBeNull();
    expect(credentialOf({ id: 'a', authMode: 'oauth', key: 'K1' }, {}, 0)).toBeNull();
    // No clock given: no token is trusted.
    expect(credentialOf({ id: 'a', authMode: 'oauth', key: 'K1' }, tokens)).toBeNull();
  });

  it('says how each travels, in the words of the failure explanations, and which secret it carries', () => {
    expect([sentAs('header'), sentAs('query'), sentAs('oauth'), sentAs(null)]).toEqual([
      'header',
      'query',
      'bearer',
      'none',
    ]);
    expect(secretOf({ mode: 'oauth', token: 'T' })).toBe('T');
    expect(secretOf({ mode: 'query', key: 'K' })).toBe('K');
  });
});
