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
      redirect: { transform: { queryTransform: { addOrReplaceParams: { key: string; value: string }[] } } };
    };

export interface DnrRule {
  id: number;
  priority: number;
  action: RuleAction;
  condition: RuleCondition;
}
