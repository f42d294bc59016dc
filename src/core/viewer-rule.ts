/**
 * The one declarativeNetRequest rule the in-tab viewer needs (issue 18), present only while the
 * viewer setting is on.
 *
 * It sets `Content-Type: text/plain` on top-level documents from the OS JSON/XML APIs
 * (VIEWER_URL_REGEX). Why: Firefox hands JSON documents to its built-in JSON viewer, a privileged
 * page into which no extension content script is ever injected
 * (https://bugzilla.mozilla.org/show_bug.cgi?id=1416888); as plain text the document stays an
 * ordinary page in both browsers, with the body as text in a `<pre>`, so one content script reads
 * it the same way in Chrome and Firefox, XML included (an XML document would otherwise be an
 * XMLDocument, where HTML elements cannot be created with createElement). With the setting off the
 * rule is removed and the browser renders the response as it always did.
 *
 * It is a static rule (public/viewer-rules.json, checked against viewerRule() by a unit test) in a
 * ruleset of its own, enabled and disabled with the setting: the credential rules are session
 * rules, so the reconciler never sees it, and the browser keeps the ruleset's state across restarts.
 */
import { OS_API_HOST } from './os-api';
import { VIEWER_URL_REGEX } from './viewer-document';

export const VIEWER_RULE_ID = 1;

/** Shaped like `chrome.declarativeNetRequest.Rule`; kept apart from DnrRule, which only has request headers. */
export interface ViewerRule {
  id: number;
  priority: number;
  action: { type: 'modifyHeaders'; responseHeaders: { header: string; operation: 'set'; value: string }[] };
  condition: { regexFilter: string; requestDomains: string[]; resourceTypes: ['main_frame'] };
}

export function viewerRule(): ViewerRule {
  return {
    id: VIEWER_RULE_ID,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      responseHeaders: [{ header: 'content-type', operation: 'set', value: 'text/plain; charset=utf-8' }],
    },
    condition: { regexFilter: VIEWER_URL_REGEX, requestDomains: [OS_API_HOST], resourceTypes: ['main_frame'] },
  };
}

/** The static ruleset (manifest `declarative_net_request`) that holds {@link viewerRule}. */
export const VIEWER_RULESET_ID = 'viewer';

/** The ruleset change that makes the enabled rulesets match the setting, or null if they already do. */
export function viewerRulesetUpdate(
  enabled: readonly string[],
  on: boolean,
): { enableRulesetIds: string[] } | { disableRulesetIds: string[] } | null {
  const isOn = enabled.includes(VIEWER_RULESET_ID);
  if (on === isOn) return null;
  return on ? { enableRulesetIds: [VIEWER_RULESET_ID] } : { disableRulesetIds: [VIEWER_RULESET_ID] };
}
