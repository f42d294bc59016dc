import { describe, expect, it } from 'vitest';
import { attributeRequest, ruleMatches, type AttributionContext } from './attribute-request';
import { emptyState, type KeyringState, type Project } from './project';
import { rulesFromState } from './rules-from-state';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const TILE = 'https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png';

function project(id: string, slot: number, over: Partial<Project> = {}): Project {
  return { id, name: id, key: `KEY-${id}`, secret: 'S', authMode: 'header', mode: 'dev', keyChangedAt: 1, badgeText: id, color: '#1d70b8', ruleSlot: slot, revision: 1, createdAt: 1, updatedAt: 1, ...over };
}

function context(state: KeyringState, extra: Partial<AttributionContext> = {}): AttributionContext {
  const pins = extra.pins ?? {};
  return { state, locked: false, rules: rulesFromState(state, { extensionId: EXT, pins, siteHosts: ['codepen.io'] }), pins, extensionHost: EXT, ...extra };
}

const state = (over: Partial<KeyringState> = {}): KeyringState => ({ ...emptyState(), projects: [project('a', 0), project('b', 1, { authMode: 'query' })], activeProjectId: 'a', nextRuleSlot: 2, ...over });

describe('attributeRequest', () => {
  it('books a local page request to the active project with its mode', () => {
    expect(attributeRequest(context(state()), { url: TILE, type: 'image', tabId: 1, initiator: 'http://localhost:8080' })).toEqual({ projectId: 'a', mode: 'header' });
  });

  it('matches subdomains of allowed initiators, as DNR does, and not look-alike hosts', () => {
    const ctx = context(state());
    expect(attributeRequest(ctx, { url: TILE, type: 'xmlhttprequest', tabId: 1, initiator: 'https://x.codepen.io' })).toMatchObject({ projectId: 'a' });
    expect(attributeRequest(ctx, { url: TILE, type: 'xmlhttprequest', tabId: 1, initiator: 'https://evilcodepen.io' })).toEqual({ projectId: null, mode: null, reasonNone: 'site-not-allowed' });
  });

  it('a pinned tab gets its project; a tab pinned to Off gets none', () => {
    const ctx = context(state(), { pins: { 5: 'b', 6: null } });
    expect(attributeRequest(ctx, { url: TILE, type: 'image', tabId: 5, initiator: 'http://127.0.0.1:3000' })).toEqual({ projectId: 'b', mode: 'query' });
    expect(attributeRequest(ctx, { url: TILE, type: 'image', tabId: 6, initiator: 'http://127.0.0.1:3000' })).toMatchObject({ reasonNone: 'off' });
    expect(attributeRequest(ctx, { url: TILE, type: 'image', tabId: 7, initiator: 'http://127.0.0.1:3000' })).toMatchObject({ projectId: 'a' });
  });

  it('gives the reason for none: off, locked, damaged, no token, no key, token endpoint, the extension itself', () => {
    const req = { url: TILE, type: 'image' as const, tabId: 1, initiator: 'http://localhost' };
    expect(attributeRequest(context(state({ activeProjectId: null })), req)).toMatchObject({ reasonNone: 'off' });
    expect(attributeRequest({ ...context(state()), rules: [], locked: true }, req)).toMatchObject({ reasonNone: 'locked' });
    expect(attributeRequest({ ...context(state()), state: null, rules: [] }, req)).toMatchObject({ reasonNone: 'off' });
    const oauth = state({ projects: [project('a', 0, { authMode: 'oauth' })] });
    expect(attributeRequest(context(oauth), req)).toMatchObject({ reasonNone: 'no-token' });
    expect(attributeRequest(context(state({ projects: [project('a', 0, { key: '' })] })), req)).toMatchObject({ reasonNone: 'no-key' });
    expect(attributeRequest(context(state()), { ...req, url: 'https://api.os.uk/oauth2/token/v1', type: 'xmlhttprequest' })).toMatchObject({ reasonNone: 'passthrough' });
    expect(attributeRequest(context(state()), { ...req, initiator: `chrome-extension://${EXT}` })).toMatchObject({ reasonNone: 'extension' });
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
