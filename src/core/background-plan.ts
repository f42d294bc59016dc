/**
 * Everything the background should have in place, from all the facts at once: the request rules,
 * the global and per-tab toolbar, the action menu, which OAuth projects need a token schedule,
 * which token failures become alerts, and what the activity monitor attributes requests by.
 * Pure: the background gathers the facts (storage, permissions, tabs, clock), calls this, and only
 * carries the plan out (reconciler.ts, operations.ts). Issue 13, item 2.
 */
import type { AttributionContext } from './attribute-request';
import type { DnrRule } from './dnr-rule';
import { menuItemsFor, type MenuItem } from './menu-items';
import type { KeyringState } from './project';
import type { RuleEngine } from './public-names';
import { rulesFromState, type TabPins } from './rules-from-state';
import { allowedSiteHosts } from './site-access';
import type { TokenFailure } from './token-lifecycle';
import type { AccessToken } from './token-response';
import {
  toolbarFor,
  toolbarForDamagedState,
  toolbarForLocked,
  withWarning,
  type CredentialProblem,
  type ToolbarView,
} from './toolbar';

/** What is known of an OAuth project's token refreshes (the token manager's status). */
export interface TokenFacts {
  lastError: TokenFailure | null;
  failures: number;
}

export interface PlanFacts {
  /** The opened state (secrets in place unless locked); null when stored data is damaged. */
  state: KeyringState | null;
  locked: boolean;
  /** Usable OAuth tokens by project id. */
  tokens: Readonly<Record<string, AccessToken>>;
  /** Token status of the OAuth projects in use (active or pinned), by project id. */
  tokenStatus: Readonly<Record<string, TokenFacts>>;
  /** Host permission patterns the browser has granted. */
  granted: readonly string[];
  /** Pins of tabs that still exist. */
  pins: TabPins;
  /** The newest unseen alert's message: the badge turns amber. */
  warning: string | null;
  now: number;
  extensionHost: string;
  engine: RuleEngine;
}

export interface TokenFailureAlert {
  projectId: string;
  projectName: string;
  failures: number;
  message: string;
}

export interface BackgroundPlan {
  rules: DnrRule[];
  toolbar: ToolbarView;
  /** Pinned tabs' own toolbars; other tabs follow the global one. */
  tabToolbars: Map<number, ToolbarView>;
  menu: MenuItem[];
  /** What the token manager schedules: the state (nothing while locked) and the pinned projects. */
  tokenSchedule: { state: KeyringState; pinnedProjectIds: string[] } | null;
  /** Refresh failures of the OAuth projects in use (an alert once per new failure). */
  tokenFailures: TokenFailureAlert[];
  monitor: AttributionContext & { projectNames: Record<string, { name: string; mode: 'dev' | 'live' }> };
  /** Tab events matter only while some tab is pinned. */
  watchTabs: boolean;
}

function projectNames(state: KeyringState | null): Record<string, { name: string; mode: 'dev' | 'live' }> {
  return Object.fromEntries((state?.projects ?? []).map((p) => [p.id, { name: p.name, mode: p.mode }]));
}

/** The OAuth projects in use: the active one and any pinned to a tab. */
export function oauthInUse(state: KeyringState, pins: TabPins): KeyringState['projects'] {
  const pinned = new Set(Object.values(pins));
  return state.projects.filter((p) => p.authMode === 'oauth' && (p.id === state.activeProjectId || pinned.has(p.id)));
}

export function planBackground(f: PlanFacts): BackgroundPlan {
  const base = { extensionHost: f.extensionHost, projectNames: projectNames(f.state) };
  if (!f.state || f.locked) {
    // Damaged: nothing attached, the error badge. Locked: nothing attached, the lock badge, no
    // token refreshes; the menu still lists the projects (switching works while locked).
    return {
      rules: [],
      toolbar: f.state ? toolbarForLocked() : toolbarForDamagedState(),
      tabToolbars: new Map(),
      menu: f.state ? menuItemsFor(f.state) : [],
      tokenSchedule: f.state
        ? { state: { ...f.state, projects: [], activeProjectId: null }, pinnedProjectIds: [] }
        : null,
      tokenFailures: [],
      monitor: { state: f.state, locked: f.locked, rules: [], pins: {}, ...base },
      watchTabs: false,
    };
  }
  const state = f.state;
  const problemOf = (projectId: string | null): CredentialProblem => {
    const project = state.projects.find((p) => p.id === projectId);
    if (project?.authMode !== 'oauth' || f.tokens[project.id]) return null;
    return f.tokenStatus[project.id]?.lastError?.kind === 'rejected' ? 'rejected' : 'unavailable';
  };
  const tabToolbars = new Map<number, ToolbarView>();
  for (const [tab, projectId] of Object.entries(f.pins)) {
    const view = toolbarFor({ ...state, activeProjectId: projectId }, problemOf(projectId));
    tabToolbars.set(Number(tab), withWarning({ ...view, title: `${view.title} (this tab only)` }, f.warning));
  }
  const rules = rulesFromState(state, {
    extensionId: f.extensionHost,
    engine: f.engine,
    tokens: f.tokens,
    now: f.now,
    siteHosts: allowedSiteHosts(state.allowedSites, f.granted),
    pins: f.pins,
  });
  const pinnedProjectIds = Object.values(f.pins).filter((id): id is string => id !== null);
  return {
    rules,
    toolbar: toolbarFor(state, problemOf(state.activeProjectId), f.warning),
    tabToolbars,
    menu: menuItemsFor(state),
    tokenSchedule: { state, pinnedProjectIds },
    tokenFailures: oauthInUse(state, f.pins).map((p) => {
      const status = f.tokenStatus[p.id];
      const lastError = status?.lastError ?? null;
      return {
        projectId: p.id,
        projectName: p.name,
        failures: lastError ? Math.max(1, status?.failures ?? 0) : 0,
        message: lastError?.message ?? '',
      };
    }),
    monitor: { state, locked: false, rules, pins: f.pins, tokens: f.tokens, now: f.now, ...base },
    watchTabs: Object.keys(f.pins).length > 0,
  };
}
