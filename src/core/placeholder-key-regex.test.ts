// The regexFilters of the placeholder-removal rules (docs/placeholder-key.md), tested with JS
// RegExp: the patterns use only syntax that RE2 (Chromium) and Firefox's engine read the same way.
import { describe, expect, it } from 'vitest';
import { ENCODED_KEY_REGEX, ENCODED_KEY_SUBSTITUTION, PLACEHOLDER_KEY_REGEX } from './rules-from-state';

describe('placeholder key regexes', () => {
  it('a percent-encoded key name is removed by rebuilding the URL, one per redirect, and nothing else is touched', () => {
    const re = new RegExp(ENCODED_KEY_REGEX);
    const js = ENCODED_KEY_SUBSTITUTION.replace(/\\(\d)/g, '$$$1'); // RE2's \1 is JS's $1
    /** The URL after the redirects, as the browser would follow them (each restarted request meets the rule again). */
    const follow = (url: string) => {
      let hops = 0;
      while (re.test(url) && hops++ < 5) url = url.replace(re, js);
      return { url, hops };
    };
    const base = 'https://api.os.uk/search/names/v1/find?query=x&';
    expect(follow(`${base}%6Bey=OLD&other=1`)).toEqual({ url: `${base}other=1`, hops: 1 });
    expect(follow(`${base}%6bey=OLD`)).toEqual({ url: base, hops: 1 });
    expect(follow(`${base}k%65y=OLD&%6Bey=TWO&z=1`)).toEqual({ url: `${base}z=1`, hops: 2 });
    expect(follow('https://api.os.uk/x?ke%79#frag')).toEqual({ url: 'https://api.os.uk/x?#frag', hops: 1 });
    expect(follow('https://api.os.uk/x?%6B%65%79=1&a=2')).toEqual({ url: 'https://api.os.uk/x?a=2', hops: 1 });
    for (const url of [
      `${base}key=1`, // the plain name is the other rule's
      `${base}%6Beyx=1&o=2`,
      `${base}K%65y=1`, // "Key" is another parameter
      `${base}a%6Bey=1`,
      'https://api.os.uk/%6Bey=1/path',
      'https://api.os.uk/x?q=1#%6Bey=2',
      'https://api.os.uk.evil.test/x?%6Bey=1',
      'http://api.os.uk/x?%6Bey=1',
    ]) {
      expect(re.test(url), url).toBe(false);
    }
  });

  it('the placeholder regex matches exactly the URLs with a `key` query parameter', () => {
    const re = new RegExp(PLACEHOLDER_KEY_REGEX);
    for (const url of [
      'https://api.os.uk/search/names/v1/find?query=x&key=KEY-FROM-EXTENSION',
      'https://api.os.uk/search/names/v1/find?key=',
      'https://api.os.uk/search/names/v1/find?key',
      'https://api.os.uk/search/names/v1/find?a=1&key&b=2',
      'https://api.os.uk/maps/raster/v1/wmts?key=abc&service=WMTS',
    ]) {
      expect(re.test(url), url).toBe(true);
    }
    for (const url of [
      'https://api.os.uk/search/names/v1/find?query=x',
      'https://api.os.uk/search/names/v1/find?monkey=1',
      'https://api.os.uk/search/names/v1/find?keys=1&akey=2',
      'https://api.os.uk/search/names/v1/find?Key=1',
      'https://api.os.uk/key=1/path',
      'https://api.os.uk/search?q=1#key=2',
      'https://api.os.uk.evil.test/x?key=1',
      'http://api.os.uk/x?key=1',
    ]) {
      expect(re.test(url), url).toBe(false);
    }
  });
});
