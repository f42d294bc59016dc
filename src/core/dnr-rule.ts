/**
 * The subset of declarativeNetRequest rule shapes this extension emits, declared here so the core
 * stays free of browser typings. Structurally compatible with `chrome.declarativeNetRequest.Rule`.
 */
export type ResourceType =
  | 'main_frame'
  | 'sub_frame'
  | 'stylesheet'
  | 'script'
  | 'image'
  | 'font'
  | 'object'
  | 'xmlhttprequest'
  | 'ping'
  | 'media'
  | 'websocket'
  | 'other';

export interface RuleCondition {
  urlFilter?: string;
  /** RE2 syntax, matched against the whole URL; exclusive with urlFilter. */
  regexFilter?: string;
  /** Chromium's default is false (case-insensitive) since Chrome 118; Firefox's too. */
  isUrlFilterCaseSensitive?: boolean;
  requestDomains?: string[];
  initiatorDomains?: string[];
  excludedInitiatorDomains?: string[];
  resourceTypes?: ResourceType[];
  tabIds?: number[];
  excludedTabIds?: number[];
}

export type RuleAction =
  | { type: 'allow' }
  | {
      type: 'modifyHeaders';
      requestHeaders: { header: string; operation: 'set' | 'remove'; value?: string }[];
    }
  | {
      type: 'redirect';
      /** A transform of the query, or (a percent-encoded placeholder name) the URL rebuilt from `regexFilter`'s groups. */
      redirect:
        | { transform: { queryTransform: QueryTransform }; regexSubstitution?: never }
        | { regexSubstitution: string; transform?: never };
    };

/** Exactly one of the two: the extension either puts the key in the query or takes a placeholder out. */
export type QueryTransform =
  | { addOrReplaceParams: { key: string; value: string }[]; removeParams?: never }
  | { removeParams: string[]; addOrReplaceParams?: never };

export interface DnrRule {
  id: number;
  priority: number;
  action: RuleAction;
  condition: RuleCondition;
}
