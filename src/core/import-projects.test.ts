import { describe, expect, it } from 'vitest';
import { exportProjects } from './export-format';
import { project, stateWith } from './fixtures.test-helpers';
import { fitBadge } from './import-entry';
import {
  applyImport,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_PROJECTS,
  parseImport,
  previewForDisplay,
  type ImportPreview,
} from './import-projects';
import { emptyState } from './project';
import { parseCurrentState } from './state-schema';

const saved = stateWith([
  project({
    id: 'live',
    name: 'Live',
    key: 'SAVEDLIVEKEY1',
    secret: 'SavedSecret',
    authMode: 'oauth',
    mode: 'live',
    ruleSlot: 0,
    revision: 4,
    keyChangedAt: 100,
  }),
  project({ id: 'dev', name: 'Dev', key: 'SAVEDDEVKEY22', ruleSlot: 1 }),
]);
const file = (projects: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'os-api-keyring', version: 1, projects, ...extra });
const entry = (fields: Record<string, unknown>) => ({
  authMode: 'header',
  plan: 'dev',
  badgeText: 'N',
  color: '#123456',
  ...fields,
});
const env = {
  now: 9_000,
  newId: (() => {
    let n = 0;
    return () => `new-${++n}`;
  })(),
};

describe('parseImport: file-level errors (nothing imported)', () => {
  it.each([
    ['an empty file', '  \n', /empty/],
    ['a file over 1 MiB', ' '.repeat(MAX_IMPORT_BYTES + 1), /larger than 1 MiB/],
    ['a file over 1 MiB only in UTF-8', '€'.repeat(MAX_IMPORT_BYTES / 3 + 1), /larger than 1 MiB/],
    [
      'malformed JSON with a position',
      '{\n  "format": "os-api-keyring",\n  "version": 1 x\n}',
      /not valid JSON \(near line 3, column 16\)/,
    ],
    ['truncated JSON', '{"format": "os-api-keyring", "projects": [', /not valid JSON \(it ends too early/],
    ['a plain number', '42', /neither an OS API Keyring export nor a ModHeader/],
    ['another tool’s JSON', '{"format": "postman", "version": 1}', /not an OS API Keyring export/],
    ['no format field', '{"version": 1, "projects": []}', /neither/],
    [
      'a newer version',
      file([], { version: 2 }),
      /made by a newer version of OS API Keyring \(format version 2; this version reads version 1\)/,
    ],
    ['version 0', file([], { version: 0 }), /no valid format version/],
    ['a string version', file([], { version: '1' }), /no valid format version/],
    ['no projects list', JSON.stringify({ format: 'os-api-keyring', version: 1, projects: {} }), /no list of projects/],
    ['an empty projects list', file([]), /no projects/],
    [
      'too many projects',
      file(Array.from({ length: MAX_IMPORT_PROJECTS + 1 }, (_, i) => entry({ name: `P${i}`, key: 'K' }))),
      /201 projects; at most 200/,
    ],
    ['an empty ModHeader list', '[]', /no profiles/],
    ['JSON null', 'null', /^This file is neither an OS API Keyring export nor a ModHeader profile export\.$/],
    [
      'a JSON string',
      '"os-api-keyring"',
      /^This file is neither an OS API Keyring export nor a ModHeader profile export\.$/,
    ],
    [
      'a fractional version',
      file([], { version: 1.5 }),
      /^The file has no valid format version, so it cannot be read safely\.$/,
    ],
    ['a version below 1', file([], { version: 0.5 }), /^The file has no valid format version/],
  ])('%s', (_label, text, message) => {
    const preview = parseImport(text, saved);
    expect(preview.entries).toEqual([]);
    expect(preview.fileErrors).toEqual([expect.stringMatching(message)]);
  });

  it('never quotes the file in a JSON error (V8 messages do, and it may hold a key)', () => {
    const preview = parseImport('{"key": "TOPSECRETKEY" oops}', saved);
    expect(preview.fileErrors.join()).not.toContain('TOPSECRET');
    expect(parseImport('{"key": TOPSECRETKEY}', saved).fileErrors.join()).not.toContain('TOPSECRET');
  });

  it('ignores inherited properties: a "__proto__" entry is just a field', () => {
    const [result] = parseImport(
      '{"format":"os-api-keyring","version":1,"projects":[{"__proto__":{"name":"P","key":"K","authMode":"header"}}]}',
      saved,
    ).entries;
    expect(result).toMatchObject({
      action: 'skip',
      problems: [expect.stringMatching(/no name/), expect.stringMatching(/Unknown authentication/)],
    });
  });

  it('accepts a byte-order mark and unknown extra fields', () => {
    const preview = parseImport(
      `\uFEFF${file([entry({ name: 'New', key: 'NEWKEY' })], { comment: 'from CI' })}`,
      saved,
    );
    expect(preview).toMatchObject({
      source: 'os-api-keyring',
      fileErrors: [],
      entries: [{ action: 'add', name: 'New' }],
    });
  });
});

describe('parseImport: each entry', () => {
  it.each([
    ['a new project with a key', entry({ name: 'New', key: 'NEWKEY' }), 'add', []],
    [
      'a new project with no key (export without secrets)',
      entry({ name: 'New' }),
      'skip',
      [/has no key for this project/],
    ],
    ['no name', entry({ key: 'K' }), 'skip', [/no name/]],
    ['a blank name', entry({ name: '   ', key: 'K' }), 'skip', [/no name/]],
    ['a name that is not text', entry({ name: 7, key: 'K' }), 'skip', [/no name/]],
    ['a name over 60 characters', entry({ name: 'n'.repeat(61), key: 'K' }), 'skip', [/60 characters/]],
    ['an invalid key', entry({ name: 'New', key: 'has space' }), 'skip', [/API key contains a space/]],
    ['a key that is not text', entry({ name: 'New', key: 12345 }), 'skip', [/API key is not text/]],
    ['an invalid secret', entry({ name: 'New', key: 'K', secret: 'a b' }), 'skip', [/API secret contains a space/]],
    ['OAuth without a secret', entry({ name: 'New', key: 'K', authMode: 'oauth' }), 'skip', [/OAuth 2 needs.*secret/]],
    [
      'an unknown authMode',
      entry({ name: 'New', key: 'K', authMode: 'cookie' }),
      'skip',
      [/Unknown authentication “cookie”/],
    ],
    ['no authMode', { name: 'New', key: 'K' }, 'skip', [/Unknown authentication:/]],
    ['an unknown plan', entry({ name: 'New', key: 'K', plan: 'gold' }), 'skip', [/Unknown plan/]],
    ['not an object', 'New', 'skip', [/not a project/]],
    [
      'several problems at once',
      { name: '', key: 'a&b', authMode: 'x' },
      'skip',
      [/no name/, /Unknown authentication/, /API key contains “&”/],
    ],
  ])('%s → %s', (_label, raw, action, problems) => {
    const [result] = parseImport(file([raw]), saved).entries;
    expect(result).toMatchObject({
      position: 1,
      action,
      problems: problems.map((p): unknown => expect.stringMatching(p)),
    });
    expect(JSON.stringify(result?.problems)).not.toMatch(/NEWKEY|a&b|has space/);
  });

  it('replaces an invalid badge text or colour with a default and says so', () => {
    const [result] = parseImport(
      file([entry({ name: 'New', key: 'K', badgeText: 'TOOLONG', color: 'red' })]),
      saved,
    ).entries;
    expect(result).toMatchObject({
      action: 'add',
      values: { badgeText: 'NEW', color: null },
      notes: [expect.stringMatching(/badge text/), expect.stringMatching(/colour/)],
    });
  });

  it('skips later entries with the same name (ignoring case); the first wins', () => {
    const entries = parseImport(
      file([entry({ name: 'New', key: 'K1' }), entry({ name: ' NEW ', key: 'K2' })]),
      saved,
    ).entries;
    expect(entries.map((e) => e.action)).toEqual(['add', 'skip']);
    expect(entries[1]?.problems).toEqual([
      expect.stringMatching(/Entry 1 in this file has the same name; only the first/),
    ]);
  });

  it('offers a name clash with a saved project (ignoring case) as an update that keeps the saved name', () => {
    const [result] = parseImport(file([entry({ name: 'dev', key: 'NEWDEVKEY', color: '#000000' })]), saved).entries;
    expect(result).toMatchObject({
      action: 'update',
      name: 'Dev',
      target: { id: 'dev', revision: 1 },
      notes: [expect.stringMatching(/changes the key, the badge text, the colour/)],
    });
  });

  it('updates only non-secret fields when the file has no key, keeping the saved key and secret', () => {
    const [result] = parseImport(
      file([{ name: 'LIVE', authMode: 'oauth', plan: 'dev', badgeText: 'L', color: '#1d70b8' }]),
      saved,
    ).entries;
    expect(result).toMatchObject({
      action: 'update',
      values: { key: null, secret: null },
      notes: [
        expect.stringMatching(/changes the mode, the badge text/),
        expect.stringMatching(/Keeps the saved key and secret/),
      ],
    });
  });

  it('refuses to turn a saved project into OAuth when neither the file nor the project has a secret', () => {
    const [result] = parseImport(file([entry({ name: 'Dev', authMode: 'oauth' })]), saved).entries;
    expect(result).toMatchObject({
      action: 'skip',
      problems: [expect.stringMatching(/OAuth 2 needs.*Neither the file nor the saved project has one/)],
    });
  });

  it('reports an entry that would change nothing as skipped, not as an update', () => {
    const exported = exportProjects(saved, { includeSecrets: true, now: 0, appVersion: '1' });
    expect(parseImport(exported, saved).entries.map((e) => [e.action, e.problems])).toEqual([
      ['skip', ['Already saved with these settings: nothing to change.']],
      ['skip', ['Already saved with these settings: nothing to change.']],
    ]);
  });

  it('detects a ModHeader export and checks its profiles like any entry', () => {
    const modheader = JSON.stringify([
      {
        title: 'OS',
        shortTitle: '1',
        backgroundColor: '#c62828',
        headers: [{ enabled: true, name: 'key', value: 'MHKEY1' }],
      },
      { title: 'Other', headers: [{ enabled: true, name: 'X-Foo', value: 'bar' }] },
      { title: 'Bad', headers: [{ enabled: true, name: 'key', value: 'bad key' }] },
      { title: 'dev', headers: [{ enabled: true, name: 'key', value: 'SAVEDDEVKEY22' }] },
    ]);
    const preview = parseImport(modheader, saved);
    expect(preview.source).toBe('modheader');
    expect(preview.entries.map((e) => [e.name, e.action])).toEqual([
      ['OS', 'add'],
      ['Other', 'skip'],
      ['Bad', 'skip'],
      ['Dev', 'skip'],
    ]);
    expect(preview.entries[0]?.values).toEqual({
      name: 'OS',
      key: 'MHKEY1',
      secret: null,
      authMode: 'header',
      mode: null,
      badgeText: '1',
      color: '#c62828',
    });
  });
});

describe('fitBadge (what the stored-state schema accepts)', () => {
  it.each([
    ['LIVE', 'LIVE'],
    ['LIVE!', 'LIVE'],
    ['SSETA', 'SSET'],
    ['🔑🔑🔑', '🔑🔑'],
    ['a🔑🔑', 'a🔑'],
    ['', ''],
  ])('%j → %j', (text, fitted) => expect(fitBadge(text)).toBe(fitted));

  it('gives a new project whose name would derive an over-long badge one that fits', () => {
    const [result] = parseImport(file([{ name: 'ßeta', key: 'K', authMode: 'header' }]), saved).entries;
    expect(result?.values?.badgeText).toBe('SSET');
    const [emoji] = parseImport(file([entry({ name: 'E', key: 'K', badgeText: '🔑🔑🔑' })]), saved).entries;
    expect(emoji).toMatchObject({
      action: 'add',
      values: { badgeText: 'E' },
      notes: [expect.stringMatching(/badge text/)],
    });
  });
});

describe('previewForDisplay', () => {
  it('drops every key and secret but keeps what the user needs to decide', () => {
    const preview = parseImport(
      file([entry({ name: 'New', key: 'NEWKEY', secret: 'NEWSECRET' }), entry({ name: 'Dev', key: 'OTHERKEY' })]),
      saved,
    );
    const shown = JSON.stringify(previewForDisplay(preview));
    expect(shown).not.toMatch(/NEWKEY|NEWSECRET|OTHERKEY|SAVED/);
    expect(previewForDisplay(preview).entries.map((e) => e.action)).toEqual(['add', 'update']);
  });
});

describe('applyImport', () => {
  const text = file([
    entry({ name: 'New', key: 'NEWKEY', secret: 'NS' }),
    entry({ name: 'Dev', key: 'ROTATEDKEY', badgeText: 'DV' }),
    { name: 'live', authMode: 'oauth', plan: 'live', badgeText: 'LV', color: '#00703c' },
    entry({ name: 'Nokey' }),
  ]);

  it('adds and updates atomically with the same invariants as saveProject', () => {
    const result = applyImport(saved, parseImport(text, saved), env);
    expect(result).toMatchObject({ ok: true, added: 1, updated: 2, skipped: 1 });
    if (!result.ok) return;
    const byName = Object.fromEntries(result.state.projects.map((p) => [p.name, p]));
    expect(byName.New).toMatchObject({
      key: 'NEWKEY',
      secret: 'NS',
      ruleSlot: 2,
      revision: 1,
      createdAt: 9_000,
      keyChangedAt: 9_000,
    });
    expect(byName.Dev).toMatchObject({
      id: 'dev',
      key: 'ROTATEDKEY',
      badgeText: 'DV',
      ruleSlot: 1,
      revision: 2,
      keyChangedAt: 9_000,
    });
    expect(byName.Live).toMatchObject({
      id: 'live',
      key: 'SAVEDLIVEKEY1',
      secret: 'SavedSecret',
      badgeText: 'LV',
      revision: 5,
      keyChangedAt: 100,
    });
    expect(result.state.nextRuleSlot).toBe(3);
    expect(parseCurrentState(result.state)).toEqual({ ok: true, state: result.state });
  });

  it('refuses, changing nothing, when a previewed project was edited or deleted since', () => {
    const preview = parseImport(text, saved);
    const edited = stateWith([{ ...saved.projects[0]!, revision: 5 }, saved.projects[1]!]);
    expect(applyImport(edited, preview, env)).toEqual({
      ok: false,
      message: expect.stringMatching(/“Live” was changed or deleted after the preview/),
    });
    expect(applyImport(stateWith([saved.projects[1]!]), preview, env)).toMatchObject({ ok: false });
  });

  it('refuses when a project with an added name was created since the preview', () => {
    const preview = parseImport(text, saved);
    const withNew = stateWith([...saved.projects, project({ id: 'x', name: 'NEW', ruleSlot: 7 })]);
    expect(applyImport(withNew, preview, env)).toEqual({
      ok: false,
      message: expect.stringMatching(/“New”.*already exists.*Preview the file again/),
    });
  });

  it('refuses a preview with file errors, and applies an all-skipped preview as no change', () => {
    expect(applyImport(saved, parseImport('nope', saved), env)).toEqual({
      ok: false,
      message: expect.stringMatching(/^Nothing was imported. The file is not valid JSON/),
    });
    const none = applyImport(saved, parseImport(file([entry({ name: 'Nokey' })]), saved), env);
    expect(none).toEqual({ ok: true, state: saved, added: 0, updated: 0, skipped: 1 });
  });

  it('never changes which project is active', () => {
    const active = { ...saved, activeProjectId: 'dev' };
    const result = applyImport(active, parseImport(text, active), env);
    expect(result.ok && result.state.activeProjectId).toBe('dev');
    const preview: ImportPreview = parseImport(text, emptyState());
    expect(applyImport(emptyState(), preview, env)).toMatchObject({
      ok: true,
      added: 2,
      skipped: 2,
      state: { activeProjectId: null },
    });
  });
});

describe('the Development/Live setting: `mode` now, `plan` in older files', () => {
  it.each([
    ['a current file (`mode`)', { mode: 'live' }, 'live'],
    ['an older file (`plan`)', { plan: 'live' }, 'live'],
    ['both: `mode` wins', { mode: 'dev', plan: 'live' }, 'dev'],
    ['neither: Development', {}, 'dev'],
  ])('%s', (_name, fields, expected) => {
    const { authMode, badgeText, color } = entry({});
    const preview = parseImport(
      file([{ name: 'New', key: 'NEWKEY123456', authMode, badgeText, color, ...fields }]),
      emptyState(),
    );
    const result = applyImport(emptyState(), preview, { now: 1, newId: () => 'n1' });
    expect(result.ok && result.state.projects.map((p) => p.mode)).toEqual([expected]);
  });

  it('an unknown value under either name skips the entry with the field named', () => {
    const [fromMode] = parseImport(
      file([entry({ name: 'A', key: 'K1', mode: 'gold', plan: undefined })]),
      emptyState(),
    ).entries;
    expect(fromMode).toMatchObject({ action: 'skip', problems: [expect.stringMatching(/^Unknown mode/)] });
  });
});

describe('parseImport: limits and inputs that are not files', () => {
  it('refuses something that is not text, saying so', () => {
    expect(parseImport(42 as unknown as string, saved)).toEqual({
      source: null,
      fileErrors: ['The file could not be read as text.'],
      entries: [],
    });
  });
  it('reads a file of exactly 200 projects', () => {
    const preview = parseImport(
      file(Array.from({ length: MAX_IMPORT_PROJECTS }, (_, i) => entry({ name: `P${i}`, key: 'K' }))),
      saved,
    );
    expect(preview.fileErrors).toEqual([]);
    expect(preview.entries).toHaveLength(MAX_IMPORT_PROJECTS);
  });
});

describe('parseImport: the 1 MiB limit counts UTF-8 bytes, whatever the characters', () => {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  /** A JSON string of exactly `total` UTF-8 bytes, mostly `unit` (each `size` bytes), padded with ASCII. */
  const sized = (unit: string, size: number, total: number) => {
    const count = Math.floor((total - 2) / size) - 1;
    return `"${unit.repeat(count)}${'a'.repeat(total - 2 - count * size)}"`;
  };
  it.each([
    ['ASCII', 'a', 1],
    ['2-byte letters', 'é', 2],
    ['U+0080, the first 2-byte code point', '\u0080', 2],
    ['3-byte symbols', '€', 3],
    ['U+0800, the first 3-byte code point', '\u0800', 3],
    ['4-byte characters (surrogate pairs)', '𝔐', 4],
    ['the first surrogate pair', '\ud800\udc00', 4],
    ['the last surrogate pair', '\udbff\udfff', 4],
    ['lone high surrogates (3 bytes each, as TextEncoder writes them)', '\ud800é', 5],
    ['lone low surrogates', '\udc00', 3],
  ])('%s: exactly 1 MiB is read, one byte more is refused', (_label, unit, size) => {
    const atLimit = sized(unit, size, MAX_IMPORT_BYTES);
    expect(bytes(atLimit)).toBe(MAX_IMPORT_BYTES);
    expect(parseImport(atLimit, saved).fileErrors).toEqual([expect.stringMatching(/neither an OS API Keyring export/)]);
    const over = sized(unit, size, MAX_IMPORT_BYTES + 1);
    expect(bytes(over)).toBe(MAX_IMPORT_BYTES + 1);
    expect(parseImport(over, saved).fileErrors).toEqual([expect.stringMatching(/larger than 1 MiB/)]);
  });
  it('a high surrogate at the very end counts 3 bytes', () => {
    const text = `${'a'.repeat(MAX_IMPORT_BYTES - 3)}\ud800`;
    expect(bytes(text)).toBe(MAX_IMPORT_BYTES);
    expect(parseImport(text, saved).fileErrors).toEqual([expect.stringMatching(/not valid JSON/)]);
    expect(parseImport(`a${text}`, saved).fileErrors).toEqual([expect.stringMatching(/larger than 1 MiB/)]);
  });
});
