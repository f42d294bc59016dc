import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import shipped from '../../public/viewer-rules.json' with { type: 'json' };
import { viewerCovers } from './viewer-document';
import { VIEWER_RULESET_ID, viewerRule, viewerRulesetUpdate } from './viewer-rule';

describe('the viewer rule', () => {
  it('the shipped ruleset is exactly viewerRule(), and the manifest enables it under its id', () => {
    expect(shipped).toEqual([viewerRule()]);
    expect(manifest.declarative_net_request.rule_resources).toEqual([
      { id: VIEWER_RULESET_ID, enabled: true, path: 'viewer-rules.json' },
    ]);
  });

  it('its regexFilter matches exactly the documents the viewer covers', () => {
    const re = new RegExp(viewerRule().condition.regexFilter);
    for (const url of [
      'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-1/items',
      'https://api.os.uk/search/names/v1/find?query=x',
      'https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png',
      'https://api.os.uk/downloads/v1/products',
      'https://api.os.uk.evil.test/features/x',
      'http://api.os.uk/features/x',
    ]) {
      expect(re.test(url), url).toBe(viewerCovers(url));
    }
  });

  it('enables or disables the ruleset only when it differs from the setting', () => {
    expect(viewerRulesetUpdate([], true)).toEqual({ enableRulesetIds: ['viewer'] });
    expect(viewerRulesetUpdate(['viewer'], true)).toBeNull();
    expect(viewerRulesetUpdate(['viewer'], false)).toEqual({ disableRulesetIds: ['viewer'] });
    expect(viewerRulesetUpdate([], false)).toBeNull();
  });
});
