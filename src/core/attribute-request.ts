/**
 * Which project's credential the installed rules gave an observed request, or why none (issue 5,
 * "Activity log"). Pure: it evaluates the very rules `rulesFromState` produced (the same subset of
 * declarativeNetRequest matching they use), so the log cannot claim a credential the rules did not
 * attach, and vice versa.
 */
import type { DnrRule, ResourceType } from './dnr-rule';
import type { NoCredentialReason } from './explain-failure';
import { activeProject, type AuthMode, type KeyringState } from './project';
import { OS_TOKEN_URL } from './os-api';
import { RULES_PER_SLOT, SLOT_ID_BASE } from './rule-ids';
import { credentialAction, type TabPins } from './rules-from-state';
import type { AccessToken } from './token-response';

export interface ObservedRequest {
  url: string;
  type: ResourceType;
  /** -1 when not from a tab. */
  tabId: number;
  /** The requesting document's origin (`scheme://host[:port]`), if any. */
  initiator?: string;
}

export interface AttributionContext {
  /** The opened state (secrets in place when unlocked); null when stored data is damaged. */
  state: KeyringState | null;
  locked: boolean;
  /** The rules installed for that state. */
  rules: readonly DnrRule[];
  pins: TabPins;
  /** The extension's own origin host (its id in Chrome, a UUID in Firefox). */
  extensionHost: string;
  tokens?: Readonly<Record<string, AccessToken>>;
  now?: number;
}

export type Attribution =
  | { projectId: string; mode: AuthMode }
  | { projectId: null; mode: null; reasonNone: NoCredentialReason };

/** DNR domain matching: the host itself or any subdomain of it. */
function domainMatches(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

function hostOf(origin: string | undefined): string | null {
  if (!origin) return null;
  try {
    return new URL(origin).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/** Whether `rule` applies to `req` (for the condition fields our rules use). */
export function ruleMatches(rule: DnrRule, req: ObservedRequest): boolean {
  const c = rule.condition;
  // Our filters are all `|https://api.os.uk/…` prefixes: a left-anchored plain prefix.
  if (c.urlFilter !== undefined) {
    const prefix = c.urlFilter.replace(/^\|/, '');
    if (!req.url.startsWith(prefix)) return false;
  }
  const host = hostOf(req.url);
  if (c.requestDomains && (!host || !domainMatches(host, c.requestDomains))) return false;
  if (c.resourceTypes && !c.resourceTypes.includes(req.type)) return false;
  const initiatorHost = hostOf(req.initiator);
  if (c.initiatorDomains && (!initiatorHost || !domainMatches(initiatorHost, c.initiatorDomains))) return false;
  if (c.excludedInitiatorDomains && initiatorHost && domainMatches(initiatorHost, c.excludedInitiatorDomains)) return false;
  if (c.tabIds && !c.tabIds.includes(req.tabId)) return false;
  if (c.excludedTabIds && c.excludedTabIds.includes(req.tabId)) return false;
  return true;
}

/** The rule the browser would act on: highest priority wins (ties: the first, as they have the same action). */
export function winningRule(rules: readonly DnrRule[], req: ObservedRequest): DnrRule | undefined {
  let best: DnrRule | undefined;
  for (const rule of rules) if (ruleMatches(rule, req) && (!best || rule.priority > best.priority)) best = rule;
  return best;
}

function slotOf(ruleId: number): number {
  return Math.floor((ruleId - SLOT_ID_BASE) / RULES_PER_SLOT);
}

/** Which credential the rules attached to `req`, or why none. */
export function attributeRequest(ctx: AttributionContext, req: ObservedRequest): Attribution {
  const none = (reasonNone: NoCredentialReason): Attribution => ({ projectId: null, mode: null, reasonNone });
  if (hostOf(req.initiator) === ctx.extensionHost && ctx.extensionHost !== '') return none('extension');
  const rule = winningRule(ctx.rules, req);
  if (rule?.action.type === 'allow') return none('passthrough');
  if (rule && ctx.state) {
    const project = ctx.state.projects.find((p) => p.ruleSlot === slotOf(rule.id));
    if (project) return { projectId: project.id, mode: project.authMode };
  }
  // No credential: say why, in the order the user can act on it.
  if (ctx.locked) return none('locked');
  if (!ctx.state) return none('off');
  if (req.url.startsWith(OS_TOKEN_URL)) return none('passthrough');
  const pinned = Object.hasOwn(ctx.pins, req.tabId) ? ctx.pins[req.tabId] : undefined;
  const project = pinned === undefined ? activeProject(ctx.state) : ctx.state.projects.find((p) => p.id === pinned);
  if (!project) return none('off');
  if (!credentialAction(project, { extensionId: ctx.extensionHost, ...(ctx.tokens ? { tokens: ctx.tokens } : {}), ...(ctx.now !== undefined ? { now: ctx.now } : {}) })) {
    return none(project.authMode === 'oauth' ? 'no-token' : 'no-key');
  }
  return none('site-not-allowed');
}
