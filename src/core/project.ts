/**
 * The project model: what the user saves, as stored in `storage.local` (see CURRENT_SCHEMA_VERSION).
 * Pure types and constants; no browser APIs.
 */
import type { SecretLock } from './secret-box';
import { STORAGE } from './storage-registry';

/** How a project's credential travels to the OS API. */
export type AuthMode = 'header' | 'query' | 'oauth';

export const AUTH_MODES: readonly AuthMode[] = ['header', 'query', 'oauth'];

/**
 * The OS Data Hub project's *mode*, which sets its rate limit: Development gives 50 transactions a
 * minute per API, Live 600 (docs/os-apis.md §0, §4). OS calls OpenData / Premium / Public Sector the
 * *plan*; this extension does not store that. Stored as `mode` since schema 5 (`plan` before).
 */
export type ProjectMode = 'dev' | 'live';
export const PROJECT_MODES: readonly ProjectMode[] = ['dev', 'live'];
export const PROJECT_MODE_LABELS: Record<ProjectMode, string> = {
  dev: 'Development (50 transactions a minute per API)',
  live: 'Live (600 transactions a minute per API)',
};

/** Human labels, shared by the popup, the toolbar title and the context menu. */
export const AUTH_MODE_LABELS: Record<AuthMode, string> = {
  header: 'Key header',
  query: 'Key query parameter',
  oauth: 'OAuth 2 bearer token',
};

/** One OS Data Hub project as stored. `key` and `secret` are secrets: never log them. */
export interface Project {
  /** Random, stable identifier (UUID). */
  id: string;
  name: string;
  key: string;
  /** Empty string when not given; only OAuth needs it. */
  secret: string;
  authMode: AuthMode;
  /** Development or Live mode on the OS Data Hub (schema 2 as `plan`, renamed in schema 5). */
  mode: ProjectMode;
  /** When the key was added or last changed, ms (schema 2): for key-rotation reminders. */
  keyChangedAt: number;
  /** Up to 4 characters shown on the toolbar badge. */
  badgeText: string;
  /** Badge colour as `#rrggbb`. */
  color: string;
  /** Allocated once from `nextRuleSlot`; the project's DNR rule IDs derive from it. */
  ruleSlot: number;
  /** Bumped on every save, so two editors cannot silently overwrite each other. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** Everything the extension persists, under one `storage.local` key so writes are atomic. */
export interface KeyringState {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  projects: Project[];
  /** The project whose credential is attached, or null for Off. */
  activeProjectId: string | null;
  /** Monotonic; never reused, so a deleted project's rule IDs are never given to another. */
  nextRuleSlot: number;
  /** Sites (`scheme://host`) besides the local ones whose pages may use the credential (schema 3). */
  allowedSites: string[];
  /**
   * The passphrase lock (schema 4), or null when off. While it is on, every project's `key` and
   * `secret` are stored as '' and the real ones are sealed in here (see secret-lock.ts).
   */
  lock: SecretLock | null;
}

export const CURRENT_SCHEMA_VERSION = 5 as const;

/** The `storage.local` key holding {@link KeyringState} (declared in storage-registry.ts, as every key is). */
export const STATE_STORAGE_KEY = STORAGE.state.key;
/** The `storage.session` key holding the unlocked lock's key, for this browser session only. */
export const LOCK_SESSION_KEY = STORAGE.lockSession.key;

/** A fresh install: no projects, Off. */
export function emptyState(): KeyringState {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    projects: [],
    activeProjectId: null,
    nextRuleSlot: 0,
    allowedSites: [],
    lock: null,
  };
}

/** The active project, or undefined when Off (or when the id no longer exists). */
export function activeProject(state: KeyringState): Project | undefined {
  return state.projects.find((p) => p.id === state.activeProjectId);
}

/** Badge colours offered to new projects, chosen for contrast with white badge text. */
export const PROJECT_COLOURS = [
  '#1d70b8',
  '#00703c',
  '#d4351c',
  '#6f2c91',
  '#b35900',
  '#005a5a',
  '#912b88',
  '#3d3d3d',
] as const;
