/**
 * State → the declarativeNetRequest rules that should be installed. Pure: the same state always
 * gives the same rules (same IDs, same order), which is what makes reconciliation idempotent.
 */
import type { DnrRule, ResourceType, RuleAction } from './dnr-rule';
import { activeProject, type KeyringState, type Project } from './project';
import { LOCAL_PAGE_HOSTS, OS_API_HOST, OS_API_URL_FILTER } from './os-api';
import { RulePriority, RuleRole, ruleIdFor } from './rule-ids';

/**
 * Sub-resource types that pages load from the OS API. `websocket` is left out: OS has no
 * WebSocket API, and `wss:` would need its own host permission. `sub_frame` is here rather than
 * with navigations so that an arbitrary site cannot frame the API and spend the user's key.
 */
export const PAGE_RESOURCE_TYPES: readonly ResourceType[] = [
  'sub_frame',
  'xmlhttprequest',
  'image',
  'script',
  'stylesheet',
  'font',
  'media',
  'object',
  'ping',
  'other',
];

/** The credential action for a key-mode project, or null when the project has none to attach. */
export function credentialAction(project: Project): RuleAction | null {
  switch (project.authMode) {
    case 'header':
      return { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value: project.key }] };
    case 'query':
      // An internal redirect: Chromium restarts the request with key=… added (or replaced), so the
      // un-keyed URL never reaches the server. A URL already carrying this key is not redirected
      // again, so there is no loop.
      return { type: 'redirect', redirect: { transform: { queryTransform: { addOrReplaceParams: [{ key: 'key', value: project.key }] } } } };
    case 'oauth':
      // Bearer tokens are fetched by the background; until then nothing is attached.
      return null;
  }
}

/**
 * The rules for the current state: none when Off, otherwise two for the active project.
 *
 * 1. Navigation: top-level loads of `https://api.os.uk/…` (typed URLs, links, bookmarks), from
 *    anywhere.
 * 2. Page requests: everything else, but only when the initiating page is on a local development
 *    host or on api.os.uk itself. Because `initiatorDomains` lists web hosts only, the extension's
 *    own requests (initiator `chrome-extension://…`) never match; `excludedInitiatorDomains` states
 *    it again so a later widening of the list cannot undo it.
 */
export function rulesFromState(state: KeyringState, context: { extensionId: string }): DnrRule[] {
  const project = activeProject(state);
  if (!project) return [];
  const action = credentialAction(project);
  if (!action) return [];
  return [
    {
      id: ruleIdFor(project.ruleSlot, RuleRole.navigation),
      priority: RulePriority.global,
      action,
      condition: {
        urlFilter: OS_API_URL_FILTER,
        requestDomains: [OS_API_HOST],
        resourceTypes: ['main_frame'],
      },
    },
    {
      id: ruleIdFor(project.ruleSlot, RuleRole.pageRequests),
      priority: RulePriority.global,
      action,
      condition: {
        urlFilter: OS_API_URL_FILTER,
        requestDomains: [OS_API_HOST],
        initiatorDomains: [...LOCAL_PAGE_HOSTS, OS_API_HOST],
        excludedInitiatorDomains: [context.extensionId],
        resourceTypes: [...PAGE_RESOURCE_TYPES],
      },
    },
  ];
}
