import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { loadState, type Migration } from './migrations';
import stateV1 from './fixtures/state-v1.json';
import stateV2 from './fixtures/state-v2.json';
import stateV3 from './fixtures/state-v3.json';
import stateV4 from './fixtures/state-v4.json';
import { emptyState } from './project';

describe('loadState (current migrations)', () => {
  it('nothing stored (a fresh install, version 0) becomes the empty state and asks to be written', () => {
    expect(loadState(undefined)).toEqual({ ok: true, state: emptyState(), migratedFrom: 0 });
  });

  /** Schema 5 renamed each project's `plan` to `mode`, keeping its value and every other field. */
  const planToMode = <T extends { projects: { plan: string }[] }>(doc: T) => ({
    ...doc,
    schemaVersion: 5,
    projects: doc.projects.map(({ plan, ...rest }) => ({ ...rest, mode: plan })),
  });
  // Each schema's fixture, brought up to the current schema (5).
  const current = planToMode({ ...stateV2, allowedSites: [], lock: null });

  it('a version-1 document (fixture) becomes, via version 2 (fixture), the current one with nothing lost', () => {
    expect(
      loadState(structuredClone(stateV1), {
        currentVersion: 2,
        validate: (doc) => ({ ok: true, state: doc as never }),
      }),
    ).toEqual({ ok: true, state: stateV2, migratedFrom: 1 });
    expect(loadState(structuredClone(stateV1))).toEqual({ ok: true, state: current, migratedFrom: 1 });
  });

  it('a version-2 document (fixture) gains an empty list of allowed sites', () => {
    expect(loadState(structuredClone(stateV2))).toEqual({ ok: true, state: current, migratedFrom: 2 });
  });

  it('a version-3 document (fixture) gains the passphrase lock, off, with its keys and sites kept', () => {
    expect(loadState(structuredClone(stateV3))).toEqual({
      ok: true,
      state: planToMode({ ...stateV3, lock: null }),
      migratedFrom: 3,
    });
  });

  it("a version-4 document (fixture) has each project's plan renamed mode, every value kept", () => {
    const result = loadState(structuredClone(stateV4));
    expect(result).toEqual({ ok: true, state: planToMode(stateV4), migratedFrom: 4 });
    // Spelled out, so the helper above cannot hide a mistake: Development and Live both survive.
    expect(
      result.ok && result.state.projects.map((p) => [p.name, p.mode, p.key, p.secret, p.ruleSlot, p.revision]),
    ).toEqual([
      ['Staging map', 'dev', 'STAGINGkey000000000000000001', '', 0, 3],
      ['Live OAuth', 'live', 'LIVEkey00000000000000000002', 'LIVEsecret0002', 2, 1],
      ['Query tiles', 'live', 'QUERYkey000000000000000003', '', 5, 7],
    ]);
    expect(result.ok && result.state.projects.every((p) => !('plan' in p))).toBe(true);
    expect(
      result.ok && [
        result.state.activeProjectId,
        result.state.nextRuleSlot,
        result.state.allowedSites,
        result.state.lock,
      ],
    ).toEqual([stateV4.activeProjectId, 6, ['https://staging.example.com'], null]);
  });

  it('migration 4 → 5 refuses a project with an unknown plan and writes nothing (validate, then write)', () => {
    const odd = structuredClone(stateV4);
    odd.projects[2]!.plan = 'gold';
    const before = structuredClone(odd);
    expect(loadState(odd)).toMatchObject({
      ok: false,
      foundVersion: 4,
      error: expect.stringMatching(/damaged \(projects\.2\.mode/),
    });
    expect(odd).toEqual(before);
  });

  it('migration 1 → 2 failures name the problem and leave the input untouched', () => {
    const broken = { ...structuredClone(stateV1), projects: [stateV1.projects[0], 'junk'] };
    const before = structuredClone(broken);
    expect(loadState(broken)).toEqual({
      ok: false,
      foundVersion: 1,
      error: 'Upgrading saved data from schema 1 failed: project 2 is not an object. The old data is kept unchanged.',
    });
    expect(broken).toEqual(before);
    expect(loadState({ schemaVersion: 1 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/the project list is missing/),
    });
  });

  it('a valid current document loads unchanged and needs no write', () => {
    const state = stateWith([project({ id: 'a', name: 'A' })], 'a');
    expect(loadState(structuredClone(state))).toEqual({ ok: true, state, migratedFrom: null });
  });

  it('damaged data is reported with the failing path, never the stored value', () => {
    const bad = { ...stateWith([project({ id: 'a', name: 'A', key: 'has space SECRETVALUE' })]) };
    const result = loadState(bad);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/damaged \(projects\.0\.key: not a valid API key\)/);
    expect(!result.ok && result.error).not.toContain('SECRETVALUE');
  });

  it.each([
    [{ schemaVersion: 2, projects: 'nope', activeProjectId: null, nextRuleSlot: 0 }, /damaged \(projects/],
    [
      { schemaVersion: 1, projects: 'nope', activeProjectId: null, nextRuleSlot: 0 },
      /schema 1 failed: the project list is missing/,
    ],
    ['a string', /no valid schema version/],
    [[1, 2], /no valid schema version/],
    [{ schemaVersion: '1' }, /no valid schema version/],
  ])('rejects %j', (raw, message) => {
    const result = loadState(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });

  it('rejects duplicate ids, names and rule slots', () => {
    const a = project({ id: 'a', name: 'A', ruleSlot: 0 });
    expect(loadState(stateWith([a, { ...a, name: 'B', ruleSlot: 1 }]))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/share an id/),
    });
    expect(loadState(stateWith([a, { ...a, id: 'b', name: 'a', ruleSlot: 1 }]))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/share a name/),
    });
    expect(loadState(stateWith([a, { ...a, id: 'b', name: 'B' }]))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/share a rule slot/),
    });
  });

  it('data from a newer version is left alone with advice to update', () => {
    expect(loadState({ schemaVersion: 99 })).toMatchObject({
      ok: false,
      foundVersion: 99,
      error: expect.stringMatching(/newer version .* Update the extension/),
    });
  });
});

describe('loadState (migration runner)', () => {
  // A synthetic history: v1 had `apiKey`, v2 renamed it to `key`, v3 added `plan`.
  const migrations: Migration[] = [
    { from: 1, description: 'rename apiKey', run: (d) => ({ ...d, key: d.apiKey, apiKey: undefined }) },
    {
      from: 2,
      description: 'add plan',
      run: (d) => {
        if (typeof d.key !== 'string') throw new Error('key missing');
        return { ...d, plan: 'dev' };
      },
    },
  ];
  const validate = (doc: unknown) => ({ ok: true as const, state: doc as never });

  it('applies each step in order and stamps the version', () => {
    const result = loadState({ schemaVersion: 1, apiKey: 'K' }, { migrations, currentVersion: 3, validate });
    expect(result).toEqual({
      ok: true,
      state: { schemaVersion: 3, key: 'K', apiKey: undefined, plan: 'dev' },
      migratedFrom: 1,
    });
  });

  it('a failing step reports which version failed and leaves the input untouched', () => {
    const raw = { schemaVersion: 2, other: true };
    const before = structuredClone(raw);
    const result = loadState(raw, { migrations, currentVersion: 3, validate });
    expect(result).toEqual({
      ok: false,
      foundVersion: 2,
      error: 'Upgrading saved data from schema 2 failed: key missing. The old data is kept unchanged.',
    });
    expect(raw).toEqual(before);
  });

  it('a gap in the migration list is an error, not a silent skip', () => {
    expect(loadState({ schemaVersion: 0 }, { migrations, currentVersion: 3, validate })).toMatchObject({
      ok: false,
      error: 'No migration from schema 0.',
    });
  });
});
