/**
 * Which project's credential an observed request carried, or why none (issues 5 and 17).
 *
 * What was sent decides ({@link credentialSent}): the browser reports each request's final URL
 * and request headers after the extension's rules acted (webRequest `onSendHeaders`; measured in
 * docs/attribution.md), and the credential seen there is looked up among the projects' keys and
 * tokens in memory. Only when nothing was sent does {@link whyNoCredential} say why, from the
 * state and rules the request met (the very rules `rulesFromState` produced, evaluated with the
 * same subset of declarativeNetRequest matching they use).
 */
import type { DnrRule, ResourceType } from './dnr-rule';
import type { NoCredentialReason } from './explain-failure';
import { activeProject, type AuthMode, type KeyringState } from './project';
import { OS_TOKEN_URL } from './os-api';
import { isPlaceholderRemovalId, OTHER_SITE_NAVIGATION_GUARD_ID, RULES_PER_SLOT, SLOT_ID_BASE } from './rule-ids';
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
  { projectId: string; mode: AuthMode } | { projectId: null; mode: null; reasonNone: NoCredentialReason };

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
  if (c.regexFilter !== undefined && !new RegExp(c.regexFilter, c.isUrlFilterCaseSensitive ? '' : 'i').test(req.url))
    return false;
  const host = hostOf(req.url);
  if (c.requestDomains && (!host || !domainMatches(host, c.requestDomains))) return false;
  if (c.resourceTypes && !c.resourceTypes.includes(req.type)) return false;
  const initiatorHost = hostOf(req.initiator);
  if (c.initiatorDomains && (!initiatorHost || !domainMatches(initiatorHost, c.initiatorDomains))) return false;
  if (c.excludedInitiatorDomains && initiatorHost && domainMatches(initiatorHost, c.excludedInitiatorDomains))
    return false;
  if (c.tabIds && !c.tabIds.includes(req.tabId)) return false;
  if (c.excludedTabIds && c.excludedTabIds.includes(req.tabId)) return false;
  return true;
}

/** At equal priority the browsers act on allow before redirect, and modify headers only when neither applies. */
const ACTION_RANK = { allow: 2, redirect: 1, modifyHeaders: 0 } as const;

/** The rule the browser would act on: highest priority wins; at equal priority, allow, then redirect, then modifyHeaders. */
export function winningRule(rules: readonly DnrRule[], req: ObservedRequest): DnrRule | undefined {
  let best: DnrRule | undefined;
  for (const rule of rules) {
    if (!ruleMatches(rule, req)) continue;
    if (
      !best ||
      rule.priority > best.priority ||
      (rule.priority === best.priority && ACTION_RANK[rule.action.type] > ACTION_RANK[best.action.type])
    )
      best = rule;
  }
  return best;
}

function slotOf(ruleId: number): number {
  return Math.floor((ruleId - SLOT_ID_BASE) / RULES_PER_SLOT);
}

const none = (reasonNone: NoCredentialReason): Attribution => ({ projectId: null, mode: null, reasonNone });

/** Which credential the rules would attach to `req`, or why none. */
export function attributeRequest(ctx: AttributionContext, req: ObservedRequest): Attribution {
  if (hostOf(req.initiator) === ctx.extensionHost && ctx.extensionHost !== '') return none('extension');
  // The placeholder-removal redirects attach nothing: the request they restart meets the credential rule.
  const rule = winningRule(
    ctx.rules.filter((r) => !isPlaceholderRemovalId(r.id)),
    req,
  );
  if (rule?.action.type === 'allow')
    return none(rule.id === OTHER_SITE_NAVIGATION_GUARD_ID ? 'site-not-allowed' : 'passthrough');
  if (rule && ctx.state) {
    const project = ctx.state.projects.find((p) => p.ruleSlot === slotOf(rule.id));
    if (project) return { projectId: project.id, mode: project.authMode };
  }
  return reasonFromState(ctx, req);
}

/**
 * Why a request that went out with no credential got none. If the rules would have attached one,
 * the browser did not apply them to this request: its site has no host access (the usual case).
 */
export function whyNoCredential(ctx: AttributionContext, req: ObservedRequest): Attribution & { projectId: null } {
  const guess = attributeRequest(ctx, req);
  return guess.projectId === null
    ? guess
    : { projectId: null, mode: null, reasonNone: ctx.locked ? 'locked' : 'site-not-allowed' };
}

function reasonFromState(ctx: AttributionContext, req: ObservedRequest): Attribution {
  // No credential: say why, in the order the user can act on it.
  if (ctx.locked) return none('locked');
  if (!ctx.state) return none('off');
  if (req.url.startsWith(OS_TOKEN_URL)) return none('passthrough');
  if (req.tabId < 0 && Object.keys(ctx.pins).length) return none('worker-while-pinned');
  const pinned = Object.hasOwn(ctx.pins, req.tabId) ? ctx.pins[req.tabId] : undefined;
  const project = pinned === undefined ? activeProject(ctx.state) : ctx.state.projects.find((p) => p.id === pinned);
  if (!project) return none('off');
  if (
    !credentialAction(project, {
      extensionId: ctx.extensionHost,
      ...(ctx.tokens ? { tokens: ctx.tokens } : {}),
      ...(ctx.now !== undefined ? { now: ctx.now } : {}),
    })
  ) {
    return none(project.authMode === 'oauth' ? 'no-token' : 'no-key');
  }
  return none('site-not-allowed');
}

/**
 * Every credential the keyring can attach, by value: keys (sent as a `key` header or query
 * parameter) and OAuth tokens. Held in memory only, to recognise what a request carried.
 */
export interface CredentialIndex {
  keys: ReadonlyMap<string, string>;
  tokens: ReadonlyMap<string, string>;
}

export function credentialIndex(
  state: KeyringState | null,
  tokens: Readonly<Record<string, AccessToken>> = {},
): CredentialIndex {
  const keys = new Map<string, string>();
  const bearer = new Map<string, string>();
  for (const p of state?.projects ?? []) {
    if (p.key) keys.set(p.key, p.id);
    const token = Object.hasOwn(tokens, p.id) ? tokens[p.id] : undefined;
    if (token?.accessToken) bearer.set(token.accessToken, p.id);
  }
  return { keys, tokens: bearer };
}

/** What the browser reports as sent: the final URL (after a query-mode redirect) and the request headers. */
export interface SentRequest {
  url: string;
  requestHeaders?: readonly { name: string; value?: string }[];
}

/**
 * The credential `sent` carried, looked up in `index`: a project and how it went (`key` header,
 * `key` query parameter, bearer token; checked in that order, as the OS mock and gateway read
 * them); `page-credential` when the page sent a key or token that is no project's; null when it
 * carried none. Nothing read here is kept: the caller gets a project id or a reason.
 */
export function credentialSent(index: CredentialIndex, sent: SentRequest): Attribution | null {
  let headerKey: string | undefined;
  let bearer: string | undefined;
  for (const h of sent.requestHeaders ?? []) {
    const name = h.name.toLowerCase();
    if (name === 'key' && headerKey === undefined) headerKey = h.value ?? '';
    else if (name === 'authorization' && bearer === undefined) bearer = /^Bearer\s+(\S+)/i.exec(h.value ?? '')?.[1];
  }
  let queryKey: string | null = null;
  try {
    queryKey = new URL(sent.url).searchParams.get('key');
  } catch {
    // not a URL: no query key
  }
  const candidates: [string | null | undefined, ReadonlyMap<string, string>, AuthMode][] = [
    [headerKey, index.keys, 'header'],
    [queryKey, index.keys, 'query'],
    [bearer, index.tokens, 'oauth'],
  ];
  let foreign = false;
  for (const [value, known, mode] of candidates) {
    if (!value) continue;
    const projectId = known.get(value);
    if (projectId !== undefined) return { projectId, mode };
    foreign = true;
  }
  return foreign ? none('page-credential') : null;
}
