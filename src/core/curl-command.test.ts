import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOsApiUrl, curlCommand, shellQuote } from './curl-command';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const TILE = 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png';

/** Split a command line the way a POSIX shell does for single-quoted words (all this module emits). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let current: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') {
      if (current !== null) words.push(current);
      current = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated quote in ${line}`);
      current = (current ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      current = (current ?? '') + (line[i + 1] ?? '');
      i++;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== null) words.push(current);
  return words;
}

describe('checkOsApiUrl', () => {
  it('accepts https://api.os.uk URLs, normalised and without a fragment', () => {
    expect(checkOsApiUrl(`  ${TILE}  `)).toEqual({ ok: true, url: TILE });
    expect(checkOsApiUrl('https://API.OS.UK:443/search/names/v1/find?query=Southampton#top')).toEqual({
      ok: true,
      url: 'https://api.os.uk/search/names/v1/find?query=Southampton',
    });
  });

  it.each([
    ['', /Enter an OS API URL/],
    ['api.os.uk/maps', /not a URL/],
    ['http://api.os.uk/maps/raster/v1/wmts', /Only https:\/\/api\.os\.uk/],
    ['https://api.os.uk.evil.test/maps', /this one is for https:\/\/api\.os\.uk\.evil\.test/],
    ['https://evil.test/?u=https://api.os.uk/', /Only https:\/\/api\.os\.uk/],
    ['https://api.os.uk:8443/maps', /Only https:\/\/api\.os\.uk/],
    ['https://user:pw@api.os.uk/maps', /user name or password/],
    ['https://api.os.uk/oauth2/token/v1', /token endpoint/],
    ['https://api.os.uk/oauth2/token/v1/', /token endpoint/],
    [`https://api.os.uk/${'a'.repeat(9000)}`, /longer than 8192/],
  ])('refuses %j', (raw, error) => {
    const r = checkOsApiUrl(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('curlCommand', () => {
  it('key header mode: the URL as it is, and a key header', () => {
    expect(curlCommand(TILE, { mode: 'header', key: KEY })).toBe(`curl '${TILE}' -H 'key: ${KEY}'`);
  });

  it('bearer mode: an Authorization header', () => {
    expect(curlCommand(TILE, { mode: 'oauth', token: 'TOKEN123' })).toBe(
      `curl '${TILE}' -H 'Authorization: Bearer TOKEN123'`,
    );
  });

  it('query mode: key= added, replacing any key already there, other parameters untouched', () => {
    expect(curlCommand(TILE, { mode: 'query', key: KEY })).toBe(`curl '${TILE}?key=${KEY}'`);
    const wmts =
      'https://api.os.uk/maps/raster/v1/wmts?service=WMTS&key=OLD&request=GetTile&layer=Road%2027700&KEY=x&key=older';
    expect(curlCommand(wmts, { mode: 'query', key: KEY })).toBe(
      `curl 'https://api.os.uk/maps/raster/v1/wmts?service=WMTS&request=GetTile&layer=Road%2027700&KEY=x&key=${KEY}'`,
    );
  });

  it('quotes every word so the shell passes the URL and header through unchanged', () => {
    const url = 'https://api.os.uk/it\'s/a $HOME `x` "test"';
    const checked = checkOsApiUrl(url);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const words = shellWords(curlCommand(checked.url, { mode: 'oauth', token: "to'ken" }));
    expect(words).toEqual(['curl', checked.url, '-H', "Authorization: Bearer to'ken"]);
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
  });

  it('for any path and query, the shell words are exactly curl, the URL and the header', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (path, query) => {
        const checked = checkOsApiUrl(`https://api.os.uk/${encodeURI(path)}?${encodeURI(query)}`);
        if (!checked.ok) return;
        expect(shellWords(curlCommand(checked.url, { mode: 'header', key: KEY }))).toEqual([
          'curl',
          checked.url,
          '-H',
          `key: ${KEY}`,
        ]);
        const [, queryUrl] = shellWords(curlCommand(checked.url, { mode: 'query', key: KEY }));
        expect(new URL(queryUrl ?? '').searchParams.getAll('key')).toEqual([KEY]);
      }),
    );
  });
});
