/**
 * Rule-ID policy for declarativeNetRequest session rules.
 *
 * - Our rules live in one reserved band, [RULE_ID_BASE, RULE_ID_LIMIT). Anything in the band that
 *   is not desired is removed by reconciliation, so stale or orphaned IDs heal themselves; IDs
 *   outside the band are never touched.
 * - Each project owns a block of RULES_PER_SLOT IDs derived from its durable `ruleSlot` (allocated
 *   once from a monotonic counter in storage.local, never from session state: DuckDuckGo documents
 *   the collisions a session-held counter causes).
 * - The same state always yields the same IDs, so a restarted service worker computes exactly the
 *   rules that are already installed and applies nothing.
 */
export const RULE_ID_BASE = 1_000;
/** IDs 1000–1099 are fixed, project-independent rules; project blocks start here. */
export const SLOT_ID_BASE = 1_100;
export const RULES_PER_SLOT = 4;
export const RULE_ID_LIMIT = 1_000_000;
export const MAX_RULE_SLOT = Math.floor((RULE_ID_LIMIT - SLOT_ID_BASE) / RULES_PER_SLOT) - 1;

/** Fixed rule: leave requests to the token endpoint exactly as the page sent them. */
export const TOKEN_ENDPOINT_PASSTHROUGH_ID = 1_001;

/** Fixed rule: navigations that a site which is not allowed started carry no credential. */
export const OTHER_SITE_NAVIGATION_GUARD_ID = 1_002;

/**
 * Fixed rules: in Key header and OAuth 2 modes, a `key` query parameter (a placeholder the page
 * left in its URLs) is removed before the request leaves. One pair for the active project's
 * requests, one pair for the tabs pinned to a header or OAuth project.
 */
export const PLACEHOLDER_KEY_REMOVAL_IDS = {
  navigation: 1_003,
  pageRequests: 1_004,
  pinnedNavigation: 1_005,
  pinnedPageRequests: 1_006,
} as const;

/**
 * Fixed rules beside those: the same for a percent-encoded name (`%6Bey=`, `k%65y=`), which
 * `removeParams` does not recognise (measured in Chromium; docs/placeholder-key.md).
 */
export const ENCODED_KEY_REMOVAL_IDS = {
  navigation: 1_007,
  pageRequests: 1_008,
  pinnedNavigation: 1_009,
  pinnedPageRequests: 1_010,
} as const;

/** Whether a rule id is one of the placeholder-removal rules (they attach nothing). */
export function isPlaceholderRemovalId(id: number): boolean {
  return id >= PLACEHOLDER_KEY_REMOVAL_IDS.navigation && id <= ENCODED_KEY_REMOVAL_IDS.pinnedPageRequests;
}

/** Which of a project's rules. */
export const RuleRole = {
  /** Top-level navigations to the OS API. */
  navigation: 0,
  /** Requests made by allowed pages: frames, fetch/XHR, images, scripts, … */
  pageRequests: 1,
  /** The same two, limited to the tabs pinned to this project. */
  pinnedNavigation: 2,
  pinnedPageRequests: 3,
} as const;
export type RuleRole = (typeof RuleRole)[keyof typeof RuleRole];

/** The DNR rule id for a project's slot and rule role. */
export function ruleIdFor(slot: number, role: RuleRole): number {
  if (!Number.isInteger(slot) || slot < 0 || slot > MAX_RULE_SLOT)
    throw new RangeError(`rule slot ${slot} out of range`);
  return SLOT_ID_BASE + slot * RULES_PER_SLOT + role;
}

/** Whether an installed rule id belongs to us. */
export function isOurRuleId(id: number): boolean {
  return id >= RULE_ID_BASE && id < RULE_ID_LIMIT;
}

/** Named priorities: later per-tab rules will outrank the global ones. */
export const RulePriority = {
  global: 1,
  /** Rules limited to pinned tabs (the global rules also exclude those tabs). */
  pinnedTab: 2,
  /** Above every credential rule: an `allow` here stops them all. */
  passthrough: 100,
} as const;
