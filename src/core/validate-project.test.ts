import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { PROJECT_COLOURS } from './project';
import {
  checkApiKey,
  checkApiSecret,
  defaultColour,
  deriveBadgeText,
  validateProjectInput,
  type ProjectInput,
} from './validate-project';

const input = (overrides: Partial<ProjectInput> = {}): ProjectInput => ({
  name: 'Staging',
  key: 'abcDEF123',
  secret: '',
  authMode: 'header',
  ...overrides,
});

describe('checkApiKey', () => {
  it.each([
    ['  abc123  ', 'abc123'],
    ['A-b.c_d~9', 'A-b.c_d~9'],
  ])('accepts and trims %j', (raw, key) => {
    expect(checkApiKey(raw)).toEqual({ key });
  });

  it.each([
    ['', /Enter the API key/],
    ['   ', /Enter the API key/],
    ['abc def', /a space \(character 4\)/],
    ['abc\tdef', /a tab \(character 4\)/],
    ['abc\ndef', /a line break \(character 4\)/],
    ['abc\u00a0def', /a non-breaking space/],
    ['abc&def', /“&” \(character 4\).*cannot travel/],
    ['abc#', /“#” \(character 4\)/],
    ['abc%20', /“%”/],
    ['clé', /“é”, a non-ASCII character \(character 3\)/],
    ['ab\u0007c', /invisible control character \(U\+0007\)/],
    ['x'.repeat(300), /300 characters long/],
    ['abc\rdef', /a line break \(character 4\)/],
    ['ab\u007fc', /an invisible control character \(U\+007F\) \(character 3\)/],
    ['ab\u001bc', /an invisible control character \(U\+001B\)/],
    ['&abc', /“&” \(character 1\)/],
  ])('rejects %j with a message saying what is wrong', (raw, message) => {
    const result = checkApiKey(raw);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(message);
  });
});

describe('checkApiKey: limits and advice', () => {
  it('accepts a key of exactly 256 characters', () => {
    expect(checkApiKey('k'.repeat(256))).toEqual({ key: 'k'.repeat(256) });
  });
  it('advises copying again for white space, and explains what cannot travel for other characters', () => {
    expect(checkApiKey('abc def')).toEqual({
      error: 'The API key contains a space (character 4). Copy the key again without spaces or line breaks.',
    });
    expect(checkApiKey('abc&def')).toEqual({
      error:
        'The API key contains “&” (character 4), which cannot travel unchanged in a request header or URL. OS API keys use only letters and digits.',
    });
  });
});

describe('checkApiSecret', () => {
  it('refuses a bad first character', () => {
    expect(checkApiSecret('ésecret', false)).toEqual({
      error:
        'The API secret contains “é”, a non-ASCII character (character 1). Copy the secret again without spaces or line breaks.',
    });
  });
  it('is optional for key modes and required for OAuth', () => {
    expect(checkApiSecret('  ', false)).toEqual({ secret: '' });
    expect(checkApiSecret('', true)).toEqual({ error: expect.stringMatching(/OAuth 2 needs/) });
  });
  it('accepts printable ASCII and rejects spaces inside', () => {
    expect(checkApiSecret(' s3cr!t/+= ', false)).toEqual({ secret: 's3cr!t/+=' });
    expect(checkApiSecret('s3 cr', false)).toEqual({ error: expect.stringMatching(/a space \(character 3\)/) });
  });
  it('accepts a secret of up to 256 characters and refuses a longer one, saying how long it is', () => {
    expect(checkApiSecret('s'.repeat(256), true)).toEqual({ secret: 's'.repeat(256) });
    expect(checkApiSecret('s'.repeat(257), true)).toEqual({
      error: 'The API secret is 257 characters long; check that you pasted only the secret.',
    });
    // Surrounding spaces do not count: the length is checked after trimming.
    expect(checkApiSecret(` ${'s'.repeat(256)} `, true)).toEqual({ secret: 's'.repeat(256) });
  });
  it('names an invisible control character in a secret', () => {
    expect(checkApiSecret('ab\u0000c', false)).toEqual({
      error: expect.stringMatching(/invisible control character \(U\+0000\) \(character 3\)/),
    });
  });
});

describe('deriveBadgeText', () => {
  it.each([
    ['Staging', 'STAG'],
    ['My map demo', 'MMD'],
    ['  live-site  ', 'LS'],
    ['a b c d e f', 'ABCD'],
    ['Ée', 'ÉE'],
    ['OS', 'OS'],
    ['ßeta', 'SSET'], // upper-cased before the cut, so it still fits
    ['- ☃ ☃', '- ☃'], // no letters: the name's first characters, trimmed
    ['- ⓐ', '- Ⓐ'], // no letters or digits (a circled letter is a symbol), still upper-cased
    ['  --☃☃', '--☃☃'], // leading spaces do not take the badge's places
  ])('%j → %j', (name, badge) => {
    expect(deriveBadgeText(name)).toBe(badge);
  });
});

describe('defaultColour', () => {
  it('takes the colours in turn, starting again after the last', () => {
    expect(defaultColour(0)).toBe(PROJECT_COLOURS[0]);
    expect(defaultColour(3)).toBe(PROJECT_COLOURS[3]);
    expect(defaultColour(PROJECT_COLOURS.length + 1)).toBe(PROJECT_COLOURS[1]);
  });
});

describe('validateProjectInput', () => {
  const existing = stateWith([project({ id: 'p1', name: 'Staging' })]);

  it('says what each field needs, in words', () => {
    const result = validateProjectInput(
      input({ name: '', authMode: 'cookie' as never, mode: 'prod' as never, badgeText: 'TOOLONG', color: 'red' }),
      existing,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'Enter a name for the project.' },
        {
          field: 'authMode',
          message: 'Choose how the credential is sent: Key header, Key query parameter or OAuth 2 bearer token.',
        },
        { field: 'mode', message: 'Choose the project’s mode: Development or Live.' },
        { field: 'badgeText', message: 'Badge text can be at most 4 characters (the toolbar shows no more).' },
        { field: 'color', message: 'Badge colour must be a colour like #1d70b8.' },
      ],
    });
  });

  it('treats fields that are not text (from an import) as empty, without throwing', () => {
    const result = validateProjectInput(
      { name: 42, key: null, secret: 7, authMode: 'oauth' } as unknown as ProjectInput,
      existing,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'Enter a name for the project.' },
        { field: 'key', message: 'Enter the API key from your OS Data Hub project.' },
        { field: 'secret', message: 'OAuth 2 needs the project’s API secret as well as its key.' },
      ],
    });
  });

  it('finds a duplicate name among several projects', () => {
    const two = stateWith([project({ id: 'p1', name: 'Staging' }), project({ id: 'p2', name: 'Live' })]);
    expect(validateProjectInput(input({ name: 'live' }), two)).toMatchObject({
      ok: false,
      errors: [{ field: 'name' }],
    });
  });

  it('accepts badge text of up to 4 characters, trimmed, and a colour in any case, trimmed and lower-cased', () => {
    expect(
      validateProjectInput(input({ name: 'Live', badgeText: ' AB ', color: ' #1D70B8 ' }), existing),
    ).toMatchObject({ ok: true, value: { badgeText: 'AB', color: '#1d70b8' } });
    expect(validateProjectInput(input({ name: 'Live', badgeText: 'ABCD' }), existing)).toMatchObject({
      ok: true,
      value: { badgeText: 'ABCD' },
    });
  });

  it.each(['x#1d70b8', '#1d70b8ff', '#1d70b', '#gggggg'])('refuses the colour %j', (color) => {
    expect(validateProjectInput(input({ name: 'Live', color }), existing)).toEqual({
      ok: false,
      errors: [{ field: 'color', message: 'Badge colour must be a colour like #1d70b8.' }],
    });
  });

  it('returns cleaned values with a derived badge', () => {
    expect(validateProjectInput(input({ name: '  Live  ', key: ' K1 ' }), existing)).toEqual({
      ok: true,
      value: { name: 'Live', key: 'K1', secret: '', authMode: 'header', mode: 'dev', badgeText: 'LIVE', color: '' },
    });
  });

  it('requires a unique name, case-insensitively, but lets a project keep its own name', () => {
    const dup = validateProjectInput(input({ name: 'staging' }), existing);
    expect(dup).toEqual({
      ok: false,
      errors: [{ field: 'name', message: 'A project called “staging” already exists. Choose another name.' }],
    });
    expect(validateProjectInput(input({ id: 'p1', name: 'STAGING' }), existing).ok).toBe(true);
  });

  it('reports every problem at once, each with its field', () => {
    const result = validateProjectInput(input({ name: ' ', key: 'a b', badgeText: 'TOOLONG', color: 'red' }), existing);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['name', 'key', 'badgeText', 'color']);
  });

  it('OAuth needs the secret as well as the key', () => {
    const result = validateProjectInput(input({ name: 'Other', authMode: 'oauth', secret: '' }), existing);
    expect(!result.ok && result.errors).toEqual([
      { field: 'secret', message: 'OAuth 2 needs the project’s API secret as well as its key.' },
    ]);
    expect(validateProjectInput(input({ name: 'Other', authMode: 'oauth', secret: 'S3cret' }), existing)).toMatchObject(
      { ok: true, value: { authMode: 'oauth', secret: 'S3cret' } },
    );
  });

  it.each([
    ['a NUL', 'Map\u0000demo'],
    ['an escape', 'Map\u001b[31mdemo'],
    ['a DEL', 'Map\u007fdemo'],
    ['a line break', 'Map\ndemo'],
  ])('refuses a name with %s in it, naming the field', (_label, name) => {
    expect(validateProjectInput(input({ name }), existing)).toEqual({
      ok: false,
      errors: [{ field: 'name', message: 'The name contains an invisible control character; type it again.' }],
    });
  });

  it('accepts a name of exactly 60 characters (counted as characters, not UTF-16 units)', () => {
    expect(validateProjectInput(input({ name: '☃'.repeat(30) + 'n'.repeat(30) }), existing).ok).toBe(true);
    expect(validateProjectInput(input({ name: '𝔐'.repeat(60) }), existing).ok).toBe(true);
    expect(validateProjectInput(input({ name: 'n'.repeat(61) }), existing)).toEqual({
      ok: false,
      errors: [{ field: 'name', message: 'Keep the name to 60 characters or fewer (it has 61).' }],
    });
  });

  it('rejects an unknown mode and a too-long name', () => {
    const result = validateProjectInput(input({ authMode: 'cookie' as never, name: 'n'.repeat(61) }), existing);
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['name', 'authMode']);
  });
});
