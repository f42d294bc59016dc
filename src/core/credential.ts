/**
 * The credential a project attaches, in one vocabulary for every use: the request rules
 * (rules-from-state.ts), Copy as curl (curl-command.ts) and Check access (check-access.ts). `mode`
 * is the project's AuthMode: a key in a header or in the query, or an OAuth 2 token.
 */
import type { CredentialSent } from './explain-failure';
import type { AuthMode, Project } from './project';
import { isUsable } from './token-lifecycle';
import type { AccessToken } from './token-response';

export type Credential =
  { mode: 'header'; key: string } | { mode: 'query'; key: string } | { mode: 'oauth'; token: string };

/**
 * What `project` attaches right now, or null when it has nothing to attach: no key (the lock is on,
 * or "forgot passphrase" cleared it), or, for OAuth, no token still good at `now`. Never the API
 * key in place of a missing token.
 */
export function credentialOf(
  project: Pick<Project, 'id' | 'authMode' | 'key'>,
  tokens: Readonly<Record<string, AccessToken>> = {},
  now = Number.POSITIVE_INFINITY,
): Credential | null {
  if (project.authMode === 'oauth') {
    const token = tokens[project.id];
    return isUsable(token, now) ? { mode: 'oauth', token: token.accessToken } : null;
  }
  return project.key === '' ? null : { mode: project.authMode, key: project.key };
}

/** How a credential of this mode travels, in the words explainFailure uses ('bearer' for OAuth); none: 'none'. */
export function sentAs(mode: AuthMode | null | undefined): CredentialSent {
  if (!mode) return 'none';
  return mode === 'oauth' ? 'bearer' : mode;
}

/** The secret a credential carries (to scrub it from anything shown). */
export function secretOf(credential: Credential): string {
  return credential.mode === 'oauth' ? credential.token : credential.key;
}
