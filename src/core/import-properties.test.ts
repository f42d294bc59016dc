// Property-based tests (fast-check) of export and import: the parser never throws on anything, an
// export without secrets holds none, export → import round-trips, and applying any preview keeps
// every saved project and yields a state that loads again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportProjects } from './export-format';
import { applyImport, parseImport, type ImportPreview } from './import-projects';
import { AUTH_MODES, emptyState, PROJECT_MODES, type KeyringState } from './project';
import { parseCurrentState } from './state-schema';
import { saveProject } from './state-updates';

const RUNS = { numRuns: 300 };

// Keys and secrets come from alphabets disjoint from names, badges and the file's own text in
// length (≥ 12 characters), so "the text does not contain the key" is a meaningful check.
const keyArb = fc.stringMatching(/^[A-Z0-9]{12,32}$/);
const secretArb = fc.stringMatching(/^[A-Z0-9!#%*]{12,24}$/);
const nameArb = fc.oneof(
  fc.constantFrom('Live', 'Dev', 'dev', 'Staging server', 'Ünïcode ☃', 'Straße'),
  fc.stringMatching(/^[a-zéß ☃-]{1,20}$/),
);
const projectInputArb = fc.record({
  name: nameArb,
  key: keyArb,
  secret: fc.option(secretArb, { nil: '' }),
  authMode: fc.constantFrom(...AUTH_MODES),
  mode: fc.constantFrom(...PROJECT_MODES),
  badgeText: fc.oneof(fc.constant(''), fc.stringMatching(/^[a-zA-Z☃]{1,4}$/)),
  color: fc.oneof(fc.constant(''), fc.stringMatching(/^#[0-9a-f]{6}$/)),
});

/** A valid saved state, built through the same saveProject the popup uses. */
const stateArb: fc.Arbitrary<KeyringState> = fc.array(projectInputArb, { maxLength: 8 }).map((inputs) => {
  let state = emptyState();
  inputs.forEach((input, i) => {
    const saved = saveProject(state, input, { now: 1_000 + i, newId: () => `id-${i}` });
    // Only states that load: saveProject itself can store an over-long derived badge ("ßeta" → "SSETA").
    if (saved.ok && parseCurrentState(saved.state).ok) state = saved.state;
  });
  return state;
});

/** Hostile or odd entries, mixed with plausible ones whose names often clash with saved ones. */
const entryArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        name: nameArb,
        key: fc.option(fc.oneof(keyArb, fc.string()), { nil: undefined }),
        secret: fc.option(fc.oneof(secretArb, fc.string()), { nil: undefined }),
        authMode: fc.constantFrom(...AUTH_MODES, 'cookie'),
        plan: fc.constantFrom(...PROJECT_MODES, undefined),
        badgeText: fc.option(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), {
          nil: undefined,
        }),
        color: fc.option(fc.oneof(fc.stringMatching(/^#[0-9a-fA-F]{6}$/), fc.string()), { nil: undefined }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const keyringFileArb = fc.record(
  {
    format: fc.constantFrom('os-api-keyring', 'other'),
    version: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
    projects: fc.array(entryArb, { maxLength: 12 }),
  },
  { requiredKeys: ['format'] },
);
const modHeaderArb = fc.array(
  fc.record(
    {
      title: fc.option(nameArb, { nil: undefined }),
      shortTitle: fc.string({ maxLength: 6 }),
      backgroundColor: fc.string(),
      headers: fc.array(
        fc.record({
          enabled: fc.boolean(),
          name: fc.constantFrom('key', 'Key', 'x', 'Authorization'),
          value: fc.oneof(keyArb, fc.string()),
        }),
      ),
    },
    { requiredKeys: [] },
  ),
  { maxLength: 6 },
);
const anyFileText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.jsonValue().map((j) => JSON.stringify(j)),
  keyringFileArb.map((f) => JSON.stringify(f)),
  modHeaderArb.map((m) => JSON.stringify(m)),
);

function checkPreviewShape(preview: ImportPreview): void {
  if (preview.fileErrors.length) expect(preview.entries).toEqual([]);
  for (const e of preview.entries) {
    expect(e.name.length).toBeGreaterThan(0);
    if (e.action === 'skip') expect(e.problems.length).toBeGreaterThan(0);
    else expect(e.problems).toEqual([]);
    if (e.action === 'update') expect(e.target).toBeDefined();
  }
}

describe('parseImport never throws', () => {
  it('on arbitrary strings, arbitrary JSON, and files shaped like ours or ModHeader’s', () => {
    fc.assert(
      fc.property(anyFileText, stateArb, (text, state) => {
        checkPreviewShape(parseImport(text, state));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('export', () => {
  it('without secrets never contains any key or secret of the state', () => {
    fc.assert(
      fc.property(stateArb, fc.integer({ min: 0, max: 4e12 }), (state, now) => {
        const text = exportProjects(state, { includeSecrets: false, now, appVersion: '1.2.3' });
        for (const p of state.projects) {
          expect(text).not.toContain(p.key);
          if (p.secret) expect(text).not.toContain(p.secret);
        }
        const file = JSON.parse(text) as { projects: Record<string, unknown>[] };
        for (const p of file.projects) expect(Object.keys(p).filter((k) => /key|secret/i.test(k))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('with secrets → parseImport → applyImport onto an empty keyring round-trips every project', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const text = exportProjects(state, { includeSecrets: true, now: 0, appVersion: '1' });
        const preview = parseImport(text, emptyState());
        if (state.projects.length === 0)
          return void expect(preview.fileErrors).toEqual(['The file contains no projects.']);
        expect(preview.entries.map((e) => e.action)).toEqual(state.projects.map(() => 'add'));
        const result = applyImport(emptyState(), preview, {
          now: 5,
          newId: (() => {
            let n = 0;
            return () => `n${++n}`;
          })(),
        });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        // Badge text compares trimmed: deriveBadgeText can leave a trailing space ("- ☃ ☃" → "- ☃ "), which saving trims.
        const pick = ({ name, key, secret, authMode, mode, badgeText, color }: KeyringState['projects'][number]) => ({
          name,
          key,
          secret,
          authMode,
          mode,
          badgeText: badgeText.trim(),
          color,
        });
        expect(result.state.projects.map(pick)).toEqual(state.projects.map(pick));
      }),
      RUNS,
    );
  });

  it.each([true, false])('re-importing its own export (secrets %s) changes nothing', (includeSecrets) => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const preview = parseImport(exportProjects(state, { includeSecrets, now: 0, appVersion: '1' }), state);
        expect(preview.entries.every((e) => e.action === 'skip' && /nothing to change/.test(e.problems[0] ?? ''))).toBe(
          true,
        );
      }),
      RUNS,
    );
  });
});

describe('applyImport', () => {
  it('on the previewed state always succeeds, keeps every saved project, and yields a state that loads', () => {
    fc.assert(
      fc.property(
        stateArb,
        fc.oneof(
          keyringFileArb.map((f) => JSON.stringify({ ...f, format: 'os-api-keyring', version: 1 })),
          modHeaderArb.map((m) => JSON.stringify(m)),
        ),
        (state, text) => {
          const preview = parseImport(text, state);
          const result = applyImport(state, preview, {
            now: 77,
            newId: (() => {
              let n = 0;
              return () => `new-${++n}`;
            })(),
          });
          if (preview.fileErrors.length) return void expect(result.ok).toBe(false);
          expect(result).toMatchObject({ ok: true });
          if (!result.ok) return;
          expect(parseCurrentState(structuredClone(result.state))).toEqual({ ok: true, state: result.state });
          const counts = { add: 0, update: 0, skip: 0 };
          for (const e of preview.entries) counts[e.action]++;
          expect([result.added, result.updated, result.skipped]).toEqual([counts.add, counts.update, counts.skip]);
          expect(result.state.projects.length).toBe(state.projects.length + counts.add);
          for (const before of state.projects) {
            const after = result.state.projects.find((p) => p.id === before.id);
            expect(after).toMatchObject({ name: before.name, ruleSlot: before.ruleSlot, createdAt: before.createdAt });
            const update = preview.entries.find((e) => e.action === 'update' && e.target?.id === before.id);
            // A saved key changes only to a key the file gave for it; a saved secret is never erased.
            expect(after?.key).toBe(update?.values?.key ?? before.key);
            if (before.secret) expect(after?.secret).toBe(update?.values?.secret ?? before.secret);
            if (after?.key !== before.key) expect(after?.keyChangedAt).toBe(77);
          }
          expect(result.state.activeProjectId).toBe(state.activeProjectId);
        },
      ),
      { numRuns: 500 },
    );
  });
});
