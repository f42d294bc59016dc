/**
 * Redacted views of projects: what the popup lists and what may appear in any message or log.
 * Keys show only their last 4 characters; secrets only whether one is set.
 */
import type { AuthMode, Project, ProjectMode } from './project';

export interface RedactedProject {
  id: string;
  name: string;
  authMode: AuthMode;
  mode: ProjectMode;
  keyChangedAt: number;
  badgeText: string;
  color: string;
  revision: number;
  /** e.g. "••••••••3f9a". */
  maskedKey: string;
  /** False after "Forgot passphrase" cleared the keys: nothing can be attached until one is entered. */
  hasKey: boolean;
  hasSecret: boolean;
}

/** Mask all but the last 4 characters (all of a key of 8 characters or fewer). */
export function maskKey(key: string): string {
  const visible = key.length > 8 ? key.slice(-4) : '';
  return `${'•'.repeat(8)}${visible}`;
}

export function redactProject(p: Project): RedactedProject {
  return {
    id: p.id,
    name: p.name,
    authMode: p.authMode,
    mode: p.mode,
    keyChangedAt: p.keyChangedAt,
    badgeText: p.badgeText,
    color: p.color,
    revision: p.revision,
    maskedKey: maskKey(p.key),
    hasKey: p.key.length > 0,
    hasSecret: p.secret.length > 0,
  };
}
