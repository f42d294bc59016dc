/**
 * State → the declarativeNetRequest rules that should be installed. Pure: the same state always
 * gives the same rules (same IDs, same order), which is what makes reconciliation idempotent.
 */
import type { DnrRule, ResourceType, RuleAction } from './dnr-rule';
import { activeProject, type KeyringState, type Project } from './project';
import { LOCAL_PAGE_HOSTS, OS_API_HOST, OS_API_URL_FILTER, OS_TOKEN_URL } from './os-api';
import { publicNameSuffixes, type RuleEngine } from './public-names';
import {
  ENCODED_KEY_REMOVAL_IDS,
  OTHER_SITE_NAVIGATION_GUARD_ID,
  PLACEHOLDER_KEY_REMOVAL_IDS,
  RulePriority,
  RuleRole,
  TOKEN_ENDPOINT_PASSTHROUGH_ID,
  ruleIdFor,
  type RuleRole as RuleRoleValue,
} from './rule-ids';
import { credentialOf } from './credential';
import type { AccessToken } from './token-response';

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

/** Everything besides stored state that decides the rules. */
export interface RuleContext {
  extensionId: string;
  /** Current OAuth tokens by project id (from session storage). */
  tokens?: Readonly<Record<string, AccessToken>>;
  /** Local clock, ms; tokens at or past their expiry guard are not attached. */
  now?: number;
  /** Hosts of allowed sites the browser has granted, whose pages' requests may carry credentials. */
  siteHosts?: readonly string[];
  /** Tabs pinned to a project (or to Off). */
  pins?: TabPins;
  /** Whose rule syntax to use for the navigation guard (Chromium unless told). */
  engine?: RuleEngine;
}

/** The credential action for a project, or null when it has none to attach right now. */
export function credentialAction(project: Project, context: RuleContext = { extensionId: '' }): RuleAction | null {
  // No key (the lock is on, or it was cleared by "forgot passphrase"), or no token still good: nothing.
  const credential = credentialOf(project, context.tokens, context.now);
  if (!credential) return null;
  switch (credential.mode) {
    case 'header':
      return { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value: credential.key }] };
    case 'query':
      // An internal redirect: Chromium restarts the request with key=… added (or replaced), so the
      // un-keyed URL never reaches the server. A URL already carrying this key is not redirected
      // again, so there is no loop.
      return {
        type: 'redirect',
        redirect: { transform: { queryTransform: { addOrReplaceParams: [{ key: 'key', value: credential.key }] } } },
      };
    case 'oauth':
      return {
        type: 'modifyHeaders',
        requestHeaders: [{ header: 'Authorization', operation: 'set', value: `Bearer ${credential.token}` }],
      };
  }
}

/** `tabs.TAB_ID_NONE`: what DNR's `tabIds`/`excludedTabIds` call requests that belong to no tab. */
export const TAB_ID_NONE = -1;

/** Project pins by tab id: a project id, or null for "Off in this tab". */
export type TabPins = Readonly<Record<number, string | null>>;

/**
 * The rules for the current state: none when nothing is attached anywhere; otherwise a pair for
 * the active project and a pair per project pinned to some tabs, behind the token-endpoint
 * passthrough.
 *
 * 1. Navigation: top-level loads of `https://api.os.uk/…` (typed URLs, bookmarks, reloads,
 *    back/forward, links), except those another site started: see {@link otherSiteNavigationGuard}.
 * 2. Page requests: everything else, but only when the initiating page is on a local development
 *    host, on an allowed site the browser has granted, or on api.os.uk itself. Because
 *    `initiatorDomains` lists web hosts only, the extension's own requests (initiator
 *    `chrome-extension://…`) never match; `excludedInitiatorDomains` states it again so a later
 *    widening of the list cannot undo it.
 *
 * Pinned tabs are excluded from the active project's rules and get their project's rules only,
 * so a request never carries two projects' credentials (two different headers would both be sent).
 */
export function rulesFromState(state: KeyringState, context: RuleContext): DnrRule[] {
  const pins = Object.entries(context.pins ?? {})
    .map(([tab, projectId]) => ({ tabId: Number(tab), projectId }))
    .filter(
      ({ tabId, projectId }) =>
        Number.isInteger(tabId) && tabId >= 0 && (projectId === null || state.projects.some((p) => p.id === projectId)),
    )
    .sort((a, b) => a.tabId - b.tabId);
  const initiators = [...new Set([...LOCAL_PAGE_HOSTS, OS_API_HOST, ...(context.siteHosts ?? [])])];
  const rules: DnrRule[] = [];

  const active = activeProject(state);
  const activeAction = active ? credentialAction(active, context) : null;
  if (active && activeAction) {
    // While any tab is pinned, requests that belong to no tab (service and shared workers, tab id
    // -1) get nothing: a worker may serve a pinned tab, and a tab never sends two projects'
    // credentials. (Our own requests are tab -1 too; they are excluded by initiator anyway.)
    const excluded = pins.length ? [TAB_ID_NONE, ...pins.map((p) => p.tabId)] : [];
    const tabs = excluded.length ? { tabs: { excludedTabIds: excluded } } : {};
    rules.push(
      ...rulePair(active, activeAction, initiators, context.extensionId, {
        roles: [RuleRole.navigation, RuleRole.pageRequests],
        priority: RulePriority.global,
        ...tabs,
      }),
    );
    if (activeAction.type === 'modifyHeaders') {
      rules.push(
        ...placeholderRemoval(
          'navigation',
          'pageRequests',
          RulePriority.global,
          initiators,
          context.extensionId,
          tabs.tabs,
        ),
      );
    }
  }
  /** Pinned tabs whose project sends a header (Key header or OAuth 2): their placeholders go too. */
  const headerTabs: number[] = [];
  for (const project of state.projects) {
    const tabIds = pins.filter((p) => p.projectId === project.id).map((p) => p.tabId);
    const action = tabIds.length ? credentialAction(project, context) : null;
    if (!action) continue;
    if (action.type === 'modifyHeaders') headerTabs.push(...tabIds);
    rules.push(
      ...rulePair(project, action, initiators, context.extensionId, {
        roles: [RuleRole.pinnedNavigation, RuleRole.pinnedPageRequests],
        priority: RulePriority.pinnedTab,
        tabs: { tabIds },
      }),
    );
  }
  if (headerTabs.length) {
    rules.push(
      ...placeholderRemoval(
        'pinnedNavigation',
        'pinnedPageRequests',
        RulePriority.pinnedTab,
        initiators,
        context.extensionId,
        { tabIds: headerTabs.sort((a, b) => a - b) },
      ),
    );
  }
  return rules.length
    ? [tokenEndpointPassthrough(), otherSiteNavigationGuard(initiators, context.engine ?? 'chromium'), ...rules]
    : [];
}

function rulePair(
  project: Project,
  action: RuleAction,
  initiators: string[],
  extensionId: string,
  options: {
    roles: [RuleRoleValue, RuleRoleValue];
    priority: number;
    tabs?: { tabIds: number[] } | { excludedTabIds: number[] };
  },
): DnrRule[] {
  const tabs = options.tabs ?? {};
  return [
    {
      id: ruleIdFor(project.ruleSlot, options.roles[0]),
      priority: options.priority,
      action,
      condition: {
        urlFilter: OS_API_URL_FILTER,
        requestDomains: [OS_API_HOST],
        resourceTypes: ['main_frame'],
        ...tabs,
      },
    },
    {
      id: ruleIdFor(project.ruleSlot, options.roles[1]),
      priority: options.priority,
      action,
      condition: {
        urlFilter: OS_API_URL_FILTER,
        requestDomains: [OS_API_HOST],
        initiatorDomains: initiators,
        excludedInitiatorDomains: [extensionId],
        resourceTypes: [...PAGE_RESOURCE_TYPES],
        ...tabs,
      },
    },
  ];
}

/**
 * A `key` query parameter anywhere in the query: `?key=…`, `&key=`, a bare `key`. Case-sensitive,
 * as `removeParams` is: `Key=` is another parameter and is left alone. Only URLs that carry `key`
 * match, so every other request goes out unredirected (docs/placeholder-key.md).
 */
export const PLACEHOLDER_KEY_REGEX = '^https://api\\.os\\.uk/[^?#]*\\?([^#]*&)?key(=|&|#|$)';

/**
 * A `key` parameter whose name is percent-encoded (`%6Bey`, `%6bey`, `k%65y`, `ke%79`, …): servers
 * commonly decode names, so OS may read it as `key`, but `removeParams` compares names as written
 * (measured in Chromium: it removes nothing). The URL is rebuilt without it from the groups
 * (`\1\2\3`: what came before, what followed an `&`, a fragment); one is removed per redirect, and
 * the restarted request meets the rule again if another is left. At least one letter is encoded,
 * so the plain `key` stays with the rule above; `K%65y` ("Key") is another parameter.
 */
export const ENCODED_KEY_REGEX =
  '^(https://api\\.os\\.uk/[^?#]*\\?(?:[^#]*&)?)(?:%6[Bb](?:e|%65)(?:y|%79)|k(?:%65(?:y|%79)|e%79))(?:=[^&#]*)?(?:&(.*)|(#.*)?)$';
export const ENCODED_KEY_SUBSTITUTION = '\\1\\2\\3';

/**
 * In Key header and OAuth 2 modes, a request the extension credentials that still carries a `key`
 * query parameter (a placeholder left in the page's code, `key=` empty, or an old key) is
 * redirected internally to the same URL without it, then gets the header: OS never sees two
 * credentials. Same conditions as the credential pair it accompanies, same priority: a redirect
 * wins over `modifyHeaders` at equal priority, and the redirected request (no `key` any more)
 * matches only the credential rule.
 */
function placeholderRemoval(
  navigation: keyof typeof PLACEHOLDER_KEY_REMOVAL_IDS,
  pageRequests: keyof typeof PLACEHOLDER_KEY_REMOVAL_IDS,
  priority: number,
  initiators: string[],
  extensionId: string,
  tabs: { tabIds: number[] } | { excludedTabIds: number[] } | undefined,
): DnrRule[] {
  const page = {
    initiatorDomains: initiators,
    excludedInitiatorDomains: [extensionId],
    resourceTypes: [...PAGE_RESOURCE_TYPES],
  };
  const forms: {
    ids: Record<keyof typeof PLACEHOLDER_KEY_REMOVAL_IDS, number>;
    action: RuleAction;
    regexFilter: string;
  }[] = [
    {
      ids: PLACEHOLDER_KEY_REMOVAL_IDS,
      action: { type: 'redirect', redirect: { transform: { queryTransform: { removeParams: ['key'] } } } },
      regexFilter: PLACEHOLDER_KEY_REGEX,
    },
    {
      ids: ENCODED_KEY_REMOVAL_IDS,
      action: { type: 'redirect', redirect: { regexSubstitution: ENCODED_KEY_SUBSTITUTION } },
      regexFilter: ENCODED_KEY_REGEX,
    },
  ];
  return forms.flatMap(({ ids, action, regexFilter }) => {
    const url = { regexFilter, isUrlFilterCaseSensitive: true, requestDomains: [OS_API_HOST] };
    return [
      { id: ids[navigation], priority, action, condition: { ...url, resourceTypes: ['main_frame'], ...tabs } },
      { id: ids[pageRequests], priority, action, condition: { ...url, ...page, ...tabs } },
    ];
  });
}

/**
 * Requests to the token endpoint keep exactly what their sender put on them: a page doing its own
 * client-credentials flow must not get our key or Bearer token over its Basic credentials.
 */
export function tokenEndpointPassthrough(): DnrRule {
  return {
    id: TOKEN_ENDPOINT_PASSTHROUGH_ID,
    priority: RulePriority.passthrough,
    action: { type: 'allow' },
    condition: {
      urlFilter: `|${OS_TOKEN_URL}`,
      requestDomains: [OS_API_HOST],
      resourceTypes: ['main_frame', ...PAGE_RESOURCE_TYPES],
    },
  };
}

/**
 * Navigations (top level or frames) that a page on a site that is not allowed started (a link,
 * `location =`, `window.open`, a form GET or POST, a meta refresh, an iframe) get nothing: an
 * `allow` rule above every credential rule, for loads whose initiator is under any public name
 * (so any web site), except the local hosts, api.os.uk and the allowed sites. Loads the browser
 * itself starts (typed URLs, bookmarks, reloads, back/forward) have no initiator, so this rule
 * never matches them and they keep the credential. What it does not cover is listed in
 * docs/navigation-guard.md (single-label hosts, IPv6 literals, IPv4 literals in Firefox).
 */
export function otherSiteNavigationGuard(allowedInitiators: readonly string[], engine: RuleEngine): DnrRule {
  return {
    id: OTHER_SITE_NAVIGATION_GUARD_ID,
    priority: RulePriority.passthrough,
    action: { type: 'allow' },
    condition: {
      urlFilter: OS_API_URL_FILTER,
      requestDomains: [OS_API_HOST],
      initiatorDomains: [...publicNameSuffixes(engine)],
      excludedInitiatorDomains: [...allowedInitiators],
      resourceTypes: ['main_frame', 'sub_frame'],
    },
  };
}
