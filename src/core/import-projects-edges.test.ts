// Edges of parseImport/applyImport that the example tests in import-projects.test.ts leave open,
// found by mutation testing (docs/mutation-testing.md): Firefox's JSON error messages, the
// ModHeader profile limit, skipped profiles, and fallbacks applyImport uses when a value is absent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import {
  applyImport,
  MAX_IMPORT_PROJECTS,
  parseImport,
  previewForDisplay,
  type ImportPreview,
} from './import-projects';
import type { KeyringState } from './project';

const saved = stateWith([
  project({
    id: 'live',
    name: 'Live',
    key: 'SAVEDLIVEKEY1',
    secret: 'SavedSecret',
    authMode: 'oauth',
    mode: 'live',
    color: '#00703c',
    ruleSlot: 0,
    revision: 4,
  }),
  project({ id: 'dev', name: 'Dev', key: 'SAVEDDEVKEY22', ruleSlot: 1 }),
]);
const file = (projects: unknown[]) => JSON.stringify({ format: 'os-api-keyring', version: 1, projects });
const env = { now: 5_000, newId: () => 'new-1' };
const modHeaderProfile = (i: number) => ({
  title: `P${i}`,
  headers: [{ enabled: true, name: 'key', value: `MHKEY${i}` }],
});

afterEach(() => vi.restoreAllMocks());

describe('parseImport: where the JSON is broken, from any engine', () => {
  it("reads Firefox's 'line N column M' message (the extension runs in Firefox too)", () => {
    vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError(
        "JSON.parse: expected ',' or '}' after property value in object at line 12 column 16 of the JSON data",
      );
    });
    expect(parseImport('{"format": x}', saved).fileErrors).toEqual([
      'The file is not valid JSON (near line 12, column 16). Was it edited by hand?',
    ]);
  });

  it('says only "not valid JSON" when the message gives no place, or the thrown value is not an Error', () => {
    vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('Unexpected token');
    });
    expect(parseImport('{x}', saved).fileErrors).toEqual(['The file is not valid JSON. Was it edited by hand?']);
    vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw 'not an error'; // eslint-disable-line @typescript-eslint/only-throw-error -- what a foreign engine might throw
    });
    expect(parseImport('{x}', saved).fileErrors).toEqual(['The file is not valid JSON. Was it edited by hand?']);
  });

  it('strips a byte-order mark only at the very start: one inside the JSON is an error', () => {
    const text = file([{ name: 'New', key: 'NEWKEY', authMode: 'header' }]);
    expect(parseImport(`\uFEFF${text}`, saved).fileErrors).toEqual([]);
    expect(parseImport(`{\uFEFF${text.slice(1)}`, saved).fileErrors).toEqual([
      expect.stringMatching(/^The file is not valid JSON/),
    ]);
  });

  it('never throws even when reading the saved state fails: the file is refused instead', () => {
    const broken = new Proxy(saved, {
      get: (target, prop) => {
        if (prop === 'projects') throw new Error('storage gone');
        return target[prop as keyof KeyringState];
      },
    });
    expect(parseImport(file([{ name: 'New', key: 'NEWKEY', authMode: 'header' }]), broken)).toEqual({
      source: null,
      fileErrors: ['The file could not be read.'],
      entries: [],
    });
  });
});

describe('parseImport: ModHeader files', () => {
  it('reads exactly 200 profiles and refuses 201, saying how many', () => {
    const at = parseImport(
      JSON.stringify(Array.from({ length: MAX_IMPORT_PROJECTS }, (_, i) => modHeaderProfile(i))),
      saved,
    );
    expect(at).toMatchObject({ source: 'modheader', fileErrors: [] });
    expect(at.entries).toHaveLength(MAX_IMPORT_PROJECTS);
    expect(
      parseImport(
        JSON.stringify(Array.from({ length: MAX_IMPORT_PROJECTS + 1 }, (_, i) => modHeaderProfile(i))),
        saved,
      ),
    ).toEqual({
      source: 'modheader',
      fileErrors: ['The file has 201 ModHeader profiles; at most 200 can be imported at once.'],
      entries: [],
    });
  });

  it("gives a skipped profile its own reason, and keeps an imported profile's notes", () => {
    const preview = parseImport(
      JSON.stringify([
        {
          title: 'OS',
          headers: [
            { enabled: true, name: 'key', value: 'MHKEY1' },
            { enabled: true, name: 'X-Foo', value: 'bar' },
          ],
        },
        42,
      ]),
      saved,
    );
    expect(preview.fileErrors).toEqual([]);
    expect(preview.entries[0]).toMatchObject({
      action: 'add',
      notes: ['Only its key header is imported; its other request headers are not.'],
    });
    expect(preview.entries[1]).toEqual({
      position: 2,
      name: 'ModHeader profile 2',
      action: 'skip',
      problems: ['This is not a ModHeader profile.'],
      notes: [],
    });
  });
});

describe('previewForDisplay', () => {
  it('keeps which saved project an update targets', () => {
    const preview = parseImport(file([{ name: 'Dev', key: 'OTHERKEY', authMode: 'header' }]), saved);
    expect(previewForDisplay(preview).entries[0]).toMatchObject({
      action: 'update',
      target: { id: 'dev', revision: 1 },
    });
  });
});

describe('applyImport: what it does with values absent from the file', () => {
  it('an update without a mode or a valid colour keeps the saved ones', () => {
    const preview = parseImport(file([{ name: 'Live', authMode: 'oauth', badgeText: 'LV', color: 'red' }]), saved);
    expect(preview.entries[0]).toMatchObject({ action: 'update', values: { mode: null, color: null } });
    const result = applyImport(saved, preview, env);
    expect(result.ok && result.state.projects.find((p) => p.id === 'live')).toMatchObject({
      mode: 'live',
      color: '#00703c',
      badgeText: 'LV',
    });
  });

  it('a new project without a valid colour gets the default colour of its rule slot', () => {
    const preview = parseImport(file([{ name: 'New', key: 'NEWKEY', authMode: 'header', color: 'red' }]), saved);
    const result = applyImport(saved, preview, env);
    const colour = result.ok ? result.state.projects.find((p) => p.name === 'New')?.color : undefined;
    expect(colour).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('reports every file error of a preview, each sentence kept apart', () => {
    const preview: ImportPreview = { source: null, fileErrors: ['First problem.', 'Second problem.'], entries: [] };
    expect(applyImport(saved, preview, env)).toEqual({
      ok: false,
      message: 'Nothing was imported. First problem. Second problem.',
    });
  });

  it('never applies an entry marked skip, whatever values it carries', () => {
    const preview: ImportPreview = {
      source: 'os-api-keyring',
      fileErrors: [],
      entries: [
        {
          position: 1,
          name: 'New',
          action: 'skip',
          problems: ['x'],
          notes: [],
          values: {
            name: 'New',
            key: 'NEWKEY',
            secret: null,
            authMode: 'header',
            mode: null,
            badgeText: null,
            color: null,
          },
        },
      ],
    };
    expect(applyImport(saved, preview, env)).toEqual({ ok: true, state: saved, added: 0, updated: 0, skipped: 1 });
  });

  it('refuses an update that names no target, rather than throwing', () => {
    const preview: ImportPreview = {
      source: 'os-api-keyring',
      fileErrors: [],
      entries: [
        {
          position: 1,
          name: 'Dev',
          action: 'update',
          problems: [],
          notes: [],
          values: {
            name: 'Dev',
            key: 'NEWKEY',
            secret: null,
            authMode: 'header',
            mode: null,
            badgeText: null,
            color: null,
          },
        },
      ],
    };
    expect(applyImport(saved, preview, env)).toEqual({
      ok: false,
      message: 'Nothing was imported: “Dev” was changed or deleted after the preview. Preview the file again.',
    });
  });
});

describe('applyImport with the passphrase lock on', () => {
  // The state handed to applyImport then holds the keys (the background seals them before storing),
  // so its last check must look at the state as stored: keys blank, the lock at the caller's minimum.
  it('imports a key: checked with the keys blanked, at the given minimum iteration count', async () => {
    const { enableLock } = await import('./secret-lock');
    const { FAST_ITERATIONS, nodeCrypto } = await import('./webcrypto.test-helpers');
    const locked = await enableLock(saved.projects, 'correct horse battery', nodeCrypto, FAST_ITERATIONS);
    if (!locked.ok) throw new Error(locked.message);
    const state: KeyringState = { ...saved, lock: locked.lock };
    const text = file([{ name: 'New', authMode: 'header', mode: 'dev', key: 'NEWKEY0000000000001' }]);
    const applied = applyImport(state, parseImport(text, state), { ...env, minLockIterations: FAST_ITERATIONS });
    expect(applied).toMatchObject({ ok: true, added: 1 });
    if (applied.ok) expect(applied.state.projects.find((p) => p.name === 'New')?.key).toBe('NEWKEY0000000000001');
    // Without the caller's minimum, a test lock is below the production count: refused, not saved.
    expect(applyImport(state, parseImport(text, state), env)).toEqual({
      ok: false,
      message: 'Nothing was imported: the result would not be valid (lock: the stored lock is damaged).',
    });
  });
});
