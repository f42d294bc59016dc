import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { emptyState } from './project';
import { deleteProject, moveProject, nextActiveId, saveProject, setActiveProject } from './state-updates';

const env = { now: 5000, newId: () => 'new-id' };

describe('saveProject', () => {
  it('adds a project with the next rule slot, a default colour, revision 1, not active', () => {
    const result = saveProject(emptyState(), { name: 'Live', key: 'K', secret: '', authMode: 'query' }, env);
    expect(result).toEqual({
      ok: true,
      state: {
        ...emptyState(),
        projects: [
          expect.objectContaining({
            id: 'new-id',
            ruleSlot: 0,
            revision: 1,
            badgeText: 'LIVE',
            color: '#1d70b8',
            createdAt: 5000,
          }),
        ],
        nextRuleSlot: 1,
      },
      value: expect.objectContaining({ id: 'new-id' }),
    });
    expect(result.ok && result.state.activeProjectId).toBeNull();
  });

  it('never reuses a rule slot, even after a delete', () => {
    let state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 0 })]);
    const del = deleteProject(state, 'a');
    state = del.ok ? del.state : state;
    const added = saveProject(state, { name: 'B', key: 'K', secret: '', authMode: 'header' }, env);
    expect(added.ok && added.value.ruleSlot).toBe(1);
  });

  it('edits keep id, slot and creation time and bump the revision', () => {
    const state = stateWith([project({ id: 'a', name: 'A', ruleSlot: 4, revision: 2 })]);
    const result = saveProject(
      state,
      { id: 'a', revision: 2, name: 'A2', key: 'NEW', secret: '', authMode: 'query', color: '#000000' },
      env,
    );
    expect(result.ok && result.value).toMatchObject({
      id: 'a',
      ruleSlot: 4,
      revision: 3,
      name: 'A2',
      key: 'NEW',
      authMode: 'query',
      createdAt: 1,
      updatedAt: 5000,
      color: '#000000',
    });
  });

  it('refuses a stale revision (edited elsewhere) and changes nothing', () => {
    const state = stateWith([project({ id: 'a', name: 'A', revision: 3 })]);
    const result = saveProject(
      state,
      { id: 'a', revision: 2, name: 'A', key: 'K', secret: '', authMode: 'header' },
      env,
    );
    expect(result).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/changed elsewhere/) });
  });

  it('refuses an edit of a deleted project', () => {
    expect(
      saveProject(emptyState(), { id: 'x', revision: 1, name: 'A', key: 'K', secret: '', authMode: 'header' }, env),
    ).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('returns field errors for invalid input', () => {
    const result = saveProject(emptyState(), { name: '', key: 'a b', secret: '', authMode: 'header' }, env);
    expect(result).toMatchObject({ ok: false, code: 'invalid', fieldErrors: [{ field: 'name' }, { field: 'key' }] });
  });
});

describe('deleteProject / setActiveProject', () => {
  const state = stateWith(
    [project({ id: 'a', name: 'A', ruleSlot: 0 }), project({ id: 'b', name: 'B', ruleSlot: 1 })],
    'a',
  );

  it('deleting the active project switches Off, not to another project', () => {
    const result = deleteProject(state, 'a');
    expect(result.ok && result.state.activeProjectId).toBeNull();
    expect(result.ok && result.state.projects.map((p) => p.id)).toEqual(['b']);
  });

  it('deleting another project keeps the active one', () => {
    const result = deleteProject(state, 'b');
    expect(result.ok && result.state.activeProjectId).toBe('a');
  });

  it('activating an unknown project is refused', () => {
    expect(setActiveProject(state, 'zzz')).toMatchObject({ ok: false, code: 'not-found' });
    expect(setActiveProject(state, null)).toMatchObject({ ok: true, state: { activeProjectId: null } });
  });
});

describe('nextActiveId (keyboard shortcut)', () => {
  it('cycles Off → first → … → last → Off', () => {
    const projects = [project({ id: 'a', name: 'A', ruleSlot: 0 }), project({ id: 'b', name: 'B', ruleSlot: 1 })];
    expect(nextActiveId(stateWith(projects, null))).toBe('a');
    expect(nextActiveId(stateWith(projects, 'a'))).toBe('b');
    expect(nextActiveId(stateWith(projects, 'b'))).toBeNull();
  });
  it('stays Off with no projects', () => {
    expect(nextActiveId(emptyState())).toBeNull();
  });
});

describe('moveProject', () => {
  const state = stateWith(
    [
      project({ id: 'a', name: 'A', ruleSlot: 0 }),
      project({ id: 'b', name: 'B', ruleSlot: 1 }),
      project({ id: 'c', name: 'C', ruleSlot: 2 }),
    ],
    'b',
  );
  const order = (r: ReturnType<typeof moveProject>) => (r.ok ? r.state.projects.map((p) => p.id) : r.code);

  it('moves a project to any position, keeping the others in order', () => {
    expect(order(moveProject(state, 'c', 0))).toEqual(['c', 'a', 'b']);
    expect(order(moveProject(state, 'a', 2))).toEqual(['b', 'c', 'a']);
    expect(order(moveProject(state, 'b', 0))).toEqual(['b', 'a', 'c']);
  });

  it('changes nothing else: slots, the active project, the projects themselves', () => {
    const r = moveProject(state, 'c', 0);
    expect(r.ok && r.state.activeProjectId).toBe('b');
    expect(r.ok && [...r.state.projects].sort((x, y) => x.ruleSlot - y.ruleSlot)).toEqual(state.projects);
    expect(r.ok && { ...r.state, projects: [] }).toEqual({ ...state, projects: [] });
  });

  it('to its own place is a no-op; an unknown project or a position outside the list is refused', () => {
    expect(moveProject(state, 'b', 1)).toEqual({ ok: true, state, value: undefined });
    expect(moveProject(state, 'zzz', 0)).toMatchObject({ ok: false, code: 'not-found' });
    expect(moveProject(state, 'a', 3)).toMatchObject({
      ok: false,
      code: 'invalid',
      message: 'There is no position 4 in a list of 3. Nothing was changed.',
    });
    expect(moveProject(state, 'a', -1)).toMatchObject({ ok: false, code: 'invalid' });
    expect(moveProject(state, 'a', 0.5)).toMatchObject({ ok: false, code: 'invalid' });
  });
});
