/** Builders shared by core tests (not shipped: only imported from *.test.ts). */
import { emptyState, type KeyringState, type Project } from './project';

export function project(overrides: Partial<Project> & Pick<Project, 'id' | 'name'>): Project {
  return {
    key: 'KEY0123456789abcdef',
    secret: '',
    authMode: 'header',
    mode: 'dev',
    keyChangedAt: 1,
    badgeText: overrides.name.slice(0, 4).toUpperCase(),
    color: '#1d70b8',
    ruleSlot: 0,
    revision: 1,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

export function stateWith(projects: Project[], activeProjectId: string | null = null): KeyringState {
  return {
    ...emptyState(),
    projects,
    activeProjectId,
    nextRuleSlot: projects.reduce((max, p) => Math.max(max, p.ruleSlot + 1), 0),
  };
}
