import { describe, expect, it } from 'vitest';
import {
  attributeRequest,
  credentialIndex,
  credentialSent,
  ruleMatches,
  whyNoCredential,
  type AttributionContext,
} from './attribute-request';
import { emptyState, type KeyringState, type Project } from './project';
import { rulesFromState } from './rules-from-state';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const TILE = 'https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png';

function project(id: string, slot: number, over: Partial<Project> = {}): Project {
  return {
    id,
    name: id,
    key: `KEY-${id}`,
    secret: 'S',
    authMode: 'header',
    mode: 'dev',
    keyChangedAt: 1,
    badgeText: id,
    color: '#1d70b8',
    ruleSlot: slot,
    revision: 1,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}

function context(state: KeyringState, extra: Partial<AttributionContext> = {}): AttributionContext {
  const pins = extra.pins ?? {};
  return {
    state,
    locked: false,
    rules: rulesFromState(state, { extensionId: EXT, pins, siteHosts: ['codepen.io'] }),
    pins,
    extensionHost: EXT,
    ...extra,
  };
}

const state = (over: Partial<KeyringState> = {}): KeyringState => ({
  ...emptyState(),
  projects: [project('a', 0), project('b', 1, { authMode: 'query' })],
  activeProjectId: 'a',
  nextRuleSlot: 2,
  ...over,
});

describe('attributeRequest', () => {
  it('books a local page request to the active project with its mode', () => {
    expect(
      attributeRequest(context(state()), { url: TILE, type: 'image', tabId: 1, initiator: 'http://localhost:8080' }),
    ).toEqual({ projectId: 'a', mode: 'header' });
  });

  it('matches subdomains of allowed initiators, as DNR does, and not look-alike hosts', () => {
    const ctx = context(state());
    expect(
      attributeRequest(ctx, { url: TILE, type: 'xmlhttprequest', tabId: 1, initiator: 'https://x.codepen.io' }),
    ).toMatchObject({ projectId: 'a' });
    expect(
      attributeRequest(ctx, { url: TILE, type: 'xmlhttprequest', tabId: 1, initiator: 'https://evilcodepen.io' }),
    ).toEqual({ projectId: null, mode: null, reasonNone: 'site-not-allowed' });
  });

  it('a navigation another site started gets none (site not allowed); typed, local and allowed-site ones keep the key', () => {
    const ctx = context(state());
    const nav = (initiator?: string) =>
      attributeRequest(ctx, { url: TILE, type: 'main_frame', tabId: 1, ...(initiator ? { initiator } : {}) });
    expect(nav('https://evil.example.com')).toEqual({ projectId: null, mode: null, reasonNone: 'site-not-allowed' });
    expect(nav('http://203.0.113.7')).toMatchObject({ reasonNone: 'site-not-allowed' });
    expect(nav()).toEqual({ projectId: 'a', mode: 'header' });
    expect(nav('http://localhost:8080')).toEqual({ projectId: 'a', mode: 'header' });
    expect(nav('https://x.codepen.io')).toEqual({ projectId: 'a', mode: 'header' });
    expect(nav('https://api.os.uk')).toEqual({ projectId: 'a', mode: 'header' });
  });

  it('a pinned tab gets its project; a tab pinned to Off gets none', () => {
    const ctx = context(state(), { pins: { 5: 'b', 6: null } });
    expect(attributeRequest(ctx, { url: TILE, type: 'image', tabId: 5, initiator: 'http://127.0.0.1:3000' })).toEqual({
      projectId: 'b',
      mode: 'query',
    });
    expect(
      attributeRequest(ctx, { url: TILE, type: 'image', tabId: 6, initiator: 'http://127.0.0.1:3000' }),
    ).toMatchObject({ reasonNone: 'off' });
    expect(
      attributeRequest(ctx, { url: TILE, type: 'image', tabId: 7, initiator: 'http://127.0.0.1:3000' }),
    ).toMatchObject({ projectId: 'a' });
  });

  it('gives the reason for none: off, locked, damaged, no token, no key, token endpoint, the extension itself', () => {
    const req = { url: TILE, type: 'image' as const, tabId: 1, initiator: 'http://localhost' };
    expect(attributeRequest(context(state({ activeProjectId: null })), req)).toMatchObject({ reasonNone: 'off' });
    expect(attributeRequest({ ...context(state()), rules: [], locked: true }, req)).toMatchObject({
      reasonNone: 'locked',
    });
    expect(attributeRequest({ ...context(state()), state: null, rules: [] }, req)).toMatchObject({ reasonNone: 'off' });
    const oauth = state({ projects: [project('a', 0, { authMode: 'oauth' })] });
    expect(attributeRequest(context(oauth), req)).toMatchObject({ reasonNone: 'no-token' });
    expect(attributeRequest(context(state({ projects: [project('a', 0, { key: '' })] })), req)).toMatchObject({
      reasonNone: 'no-key',
    });
    expect(
      attributeRequest(context(state()), { ...req, url: 'https://api.os.uk/oauth2/token/v1', type: 'xmlhttprequest' }),
    ).toMatchObject({ reasonNone: 'passthrough' });
    expect(attributeRequest(context(state()), { ...req, initiator: `chrome-extension://${EXT}` })).toMatchObject({
      reasonNone: 'extension',
    });
  });

  it('navigations from anywhere get the key; other hosts and http never match', () => {
    const ctx = context(state());
    expect(attributeRequest(ctx, { url: TILE, type: 'main_frame', tabId: 1 })).toMatchObject({ projectId: 'a' });
    for (const rule of ctx.rules) {
      expect(ruleMatches(rule, { url: 'http://api.os.uk/maps/raster/v1/x', type: 'main_frame', tabId: 1 })).toBe(false);
      expect(ruleMatches(rule, { url: 'https://api.os.uk.evil.test/x', type: 'main_frame', tabId: 1 })).toBe(false);
    }
  });
});

describe('credentialSent: the credential a request carried, as the browser reports it sent', () => {
  const index = credentialIndex(state(), { b: { accessToken: 'TOKEN-b', expiresAt: 2, obtainedAt: 1, lifetimeMs: 1 } });

  it('finds the project by the key header, the key query parameter or the bearer token', () => {
    expect(
      credentialSent(index, {
        url: TILE,
        requestHeaders: [
          { name: 'Accept', value: '*/*' },
          { name: 'key', value: 'KEY-a' },
        ],
      }),
    ).toEqual({ projectId: 'a', mode: 'header' });
    expect(credentialSent(index, { url: `${TILE}?x=1&key=KEY-b` })).toEqual({ projectId: 'b', mode: 'query' });
    expect(
      credentialSent(index, { url: TILE, requestHeaders: [{ name: 'Authorization', value: 'Bearer TOKEN-b' }] }),
    ).toEqual({ projectId: 'b', mode: 'oauth' });
  });

  it('header names are case-insensitive; the header comes before the query, as OS reads them', () => {
    expect(
      credentialSent(index, { url: `${TILE}?key=KEY-b`, requestHeaders: [{ name: 'KEY', value: 'KEY-a' }] }),
    ).toEqual({ projectId: 'a', mode: 'header' });
  });

  it("a key or token that is no project's is the page's own; nothing at all is null", () => {
    expect(credentialSent(index, { url: `${TILE}?key=SOMEONE-ELSE` })).toEqual({
      projectId: null,
      mode: null,
      reasonNone: 'page-credential',
    });
    expect(
      credentialSent(index, { url: TILE, requestHeaders: [{ name: 'authorization', value: 'Bearer nope' }] }),
    ).toMatchObject({ reasonNone: 'page-credential' });
    // A foreign key first, a project's token after: the project's credential reached OS.
    expect(
      credentialSent(index, {
        url: `${TILE}?key=SOMEONE-ELSE`,
        requestHeaders: [{ name: 'authorization', value: 'Bearer TOKEN-b' }],
      }),
    ).toEqual({ projectId: 'b', mode: 'oauth' });
    expect(
      credentialSent(index, {
        url: TILE,
        requestHeaders: [
          { name: 'authorization', value: 'Basic a2V5OnNlY3JldA==' },
          { name: 'key', value: '' },
        ],
      }),
    ).toBeNull();
    expect(credentialSent(index, { url: 'not a url' })).toBeNull();
  });

  it('empty keys (cleared by "Forgot passphrase") match nothing; the index holds only what the state has', () => {
    const i = credentialIndex(state({ projects: [project('a', 0, { key: '' })] }));
    expect(i.keys.size).toBe(0);
    expect(credentialIndex(null).keys.size).toBe(0);
  });
});

describe('whyNoCredential', () => {
  it('gives the reason the state gives, and "site not allowed" when the rules would have matched but nothing went', () => {
    const req = { url: TILE, type: 'image' as const, tabId: 1, initiator: 'http://localhost:8080' };
    expect(whyNoCredential(context(state({ activeProjectId: null })), req)).toMatchObject({ reasonNone: 'off' });
    expect(whyNoCredential(context(state()), req)).toEqual({
      projectId: null,
      mode: null,
      reasonNone: 'site-not-allowed',
    });
    expect(whyNoCredential({ ...context(state()), locked: true }, req)).toMatchObject({ reasonNone: 'locked' });
  });
});
