import { describe, expect, it } from 'vitest';
import { looksLikeModHeader, parseModHeaderExport } from './modheader-import';

/** A profile as ModHeader exports it (fields from its profile model; only some matter to us). */
function profile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'OS Live',
    shortTitle: '1',
    backgroundColor: '#c62828',
    textColor: '#ffffff',
    hideComment: true,
    appendMode: false,
    headers: [{ enabled: true, name: 'key', value: 'ABCdef123456', comment: '' }],
    respHeaders: [],
    filters: [],
    urlReplacements: [],
    ...overrides,
  };
}

describe('looksLikeModHeader', () => {
  it.each([
    ['an array of profiles', [profile()], true],
    ['an empty array', [], true],
    ['one profile (older exports)', profile(), true],
    ['{ profiles: [...] }', { profiles: [profile()] }, true],
    ['our own export', { format: 'os-api-keyring', version: 1, projects: [] }, false],
    ['an array of numbers', [1, 2], false],
    ['null', null, false],
    ['a string', 'headers', false],
    ['headers that are not a list', { headers: 'key: x' }, false],
  ])('%s → %s', (_label, json, expected) => expect(looksLikeModHeader(json)).toBe(expected));
});

describe('parseModHeaderExport', () => {
  it('maps an enabled key header to a header-mode project with title, short title and colour', () => {
    expect(parseModHeaderExport([profile()])).toEqual({
      ok: true,
      profiles: [
        {
          position: 1,
          title: 'OS Live',
          candidate: { name: 'OS Live', key: 'ABCdef123456', authMode: 'header', badgeText: '1', color: '#c62828' },
          notes: [],
        },
      ],
    });
  });

  it('accepts one profile with headers at the top level, and { profiles }', () => {
    for (const json of [profile(), { profiles: [profile()] }]) {
      const result = parseModHeaderExport(json);
      expect(result.ok && result.profiles[0]?.candidate?.key).toBe('ABCdef123456');
    }
  });

  it.each([
    ['a header name in another case, with spaces', [{ enabled: true, name: ' KEY ', value: 'K1' }], 'K1'],
    ['enabled missing (old exports count it as on)', [{ name: 'key', value: 'K2' }], 'K2'],
    [
      'the key among other headers',
      [
        { enabled: true, name: 'X-Debug', value: '1' },
        { enabled: true, name: 'Key', value: 'K3' },
      ],
      'K3',
    ],
    [
      'two key headers with the same value',
      [
        { enabled: true, name: 'key', value: 'K4' },
        { enabled: true, name: 'key', value: 'K4' },
      ],
      'K4',
    ],
    [
      'a disabled key header beside an enabled one',
      [
        { enabled: false, name: 'key', value: 'OLD' },
        { enabled: true, name: 'key', value: 'K5' },
      ],
      'K5',
    ],
  ])('finds the key: %s', (_label, headers, key) => {
    const result = parseModHeaderExport([profile({ headers })]);
    expect(result.ok && result.profiles[0]?.candidate?.key).toBe(key);
  });

  it.each([
    ['no key header', [{ enabled: true, name: 'X-Api', value: 'v' }], /does not send a key header/],
    ['only a disabled key header', [{ enabled: false, name: 'key', value: 'K' }], /switched off/],
    [
      'an Authorization header instead',
      [{ enabled: true, name: 'Authorization', value: 'Bearer t' }],
      /Authorization header.*OAuth 2/,
    ],
    [
      'two different keys',
      [
        { enabled: true, name: 'key', value: 'A1' },
        { enabled: true, name: 'key', value: 'B2' },
      ],
      /more than one key header/,
    ],
    ['no headers at all', [], /does not send a key header/],
    ['a key only in the response headers', [], /does not send a key header/],
  ])('skips a profile with %s, saying why', (_label, headers, reason) => {
    const result = parseModHeaderExport([
      profile({ headers, respHeaders: [{ enabled: true, name: 'key', value: 'R' }] }),
    ]);
    expect(result.ok && result.profiles[0]).toMatchObject({ skipped: expect.stringMatching(reason) });
    expect(result.ok && result.profiles[0]?.candidate).toBeUndefined();
  });

  it('skips entries that are not profiles', () => {
    const result = parseModHeaderExport([profile(), 42, null]);
    expect(result.ok && result.profiles.map((p) => p.skipped)).toEqual([
      undefined,
      'This is not a ModHeader profile.',
      'This is not a ModHeader profile.',
    ]);
  });

  it('de-duplicates titles case-insensitively and names untitled profiles', () => {
    const result = parseModHeaderExport([
      profile({ title: 'Dev' }),
      profile({ title: 'dev' }),
      profile({ title: 'Dev' }),
      profile({ title: '  ' }),
    ]);
    expect(result.ok && result.profiles.map((p) => p.candidate?.name)).toEqual([
      'Dev',
      'dev (2)',
      'Dev (3)',
      'ModHeader profile 4',
    ]);
    expect(result.ok && result.profiles[1]?.notes[0]).toMatch(/Imported as “dev \(2\)”.*same title/);
  });

  it('shortens long titles to the name limit, keeping room for the suffix', () => {
    const long = 'x'.repeat(70);
    const result = parseModHeaderExport([profile({ title: long }), profile({ title: long })]);
    const names = result.ok ? result.profiles.map((p) => p.candidate?.name ?? '') : [];
    expect(names.map((n) => n.length)).toEqual([60, 60]);
    expect(names[1]?.endsWith(' (2)')).toBe(true);
  });

  it.each([
    ['#1D70B8', '#1d70b8', false],
    ['#abc', '#aabbcc', false],
    ['red', undefined, true],
    ['rgb(1, 2, 3)', undefined, true],
    [undefined, undefined, false],
  ])('colour %s → %s', (backgroundColor, color, noted) => {
    const result = parseModHeaderExport([profile({ backgroundColor })]);
    const p = result.ok ? result.profiles[0] : undefined;
    expect(p?.candidate?.color).toBe(color);
    expect(p?.notes.some((n) => /not a #rrggbb/.test(n))).toBe(noted);
  });

  it('takes the short title as badge text, cut to 4 characters with a note', () => {
    const result = parseModHeaderExport([profile({ shortTitle: 'LIVE!' }), profile({ title: 'B', shortTitle: '' })]);
    expect(result.ok && result.profiles[0]).toMatchObject({
      candidate: { badgeText: 'LIVE' },
      notes: [expect.stringMatching(/shortened to “LIVE”/)],
    });
    expect(result.ok && result.profiles[1]?.candidate).not.toHaveProperty('badgeText');
  });

  it('says what is not imported: URL filters, response headers, other headers', () => {
    const result = parseModHeaderExport([
      profile({
        urlFilters: [{ enabled: true, urlRegex: '.*' }],
        respHeaders: [{ enabled: true, name: 'x', value: 'y' }],
        headers: [
          { enabled: true, name: 'key', value: 'K' },
          { enabled: true, name: 'Accept', value: '*/*' },
        ],
      }),
    ]);
    const notes = result.ok ? (result.profiles[0]?.notes ?? []) : [];
    expect(notes).toEqual([
      expect.stringMatching(/URL filters/),
      expect.stringMatching(/response headers/),
      expect.stringMatching(/other request headers/),
    ]);
  });

  it('ignores inherited properties of hostile objects', () => {
    const hostile = JSON.parse('{"headers":[{"__proto__":{"name":"key","value":"P"}}],"title":"T"}') as unknown;
    expect(parseModHeaderExport(hostile)).toMatchObject({
      ok: true,
      profiles: [{ skipped: expect.stringMatching(/does not send/) }],
    });
  });

  it('refuses JSON that is not a ModHeader export', () => {
    expect(parseModHeaderExport({ hello: 1 })).toEqual({ ok: false, error: expect.stringMatching(/not a ModHeader/) });
  });
});
