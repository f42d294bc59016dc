/**
 * The exact browser surface the extension uses, as an interface. The real implementation
 * (browser.ts) wraps webextension-polyfill; tests pass an in-memory fake (tests/fakes).
 */
import type { DnrRule } from '../core/dnr-rule';

export interface BrowserEvent<F extends (...args: never[]) => unknown> {
  addListener(listener: F): void;
  removeListener(listener: F): void;
}

export interface StorageChange {
  oldValue?: unknown;
  newValue?: unknown;
}

export interface StorageAreaApi {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface MessageSender {
  id?: string;
  url?: string;
  origin?: string;
  /** Set for messages from content scripts: the tab and frame they run in. */
  tab?: { id?: number };
  frameId?: number;
}

export interface ContextMenuCreate {
  id: string;
  title: string;
  type?: 'normal' | 'radio';
  checked?: boolean;
  contexts: ['action'];
  parentId?: string;
}

/** What webRequest tells an observer (Chrome gives `initiator`, Firefox `originUrl`). */
export interface WebRequestDetails {
  requestId: string;
  url: string;
  method: string;
  type: string;
  tabId: number;
  timeStamp: number;
  initiator?: string;
  originUrl?: string;
  statusCode?: number;
  error?: string;
  redirectUrl?: string;
  /** onSendHeaders with 'requestHeaders': the headers as sent, after the extension's rules (docs/attribution.md). */
  requestHeaders?: { name: string; value?: string }[];
  /** onCompleted: answered from the browser's cache, so nothing reached the server. */
  fromCache?: boolean;
}

/** A webRequest event, observed only: no `blocking`, so a listener can never delay a request. */
export interface WebRequestEvent {
  addListener(
    listener: (details: WebRequestDetails) => void,
    filter: { urls: string[] },
    extraInfoSpec?: string[],
  ): void;
  removeListener(listener: (details: WebRequestDetails) => void): void;
}

export interface BrowserApi {
  runtime: {
    id: string;
    getURL(path: string): string;
    onInstalled: BrowserEvent<(details: { reason: string }) => void>;
    onStartup: BrowserEvent<() => void>;
    /** Return a promise to answer; return undefined to leave the message to others. */
    onMessage: BrowserEvent<(message: unknown, sender: MessageSender) => Promise<unknown> | undefined>;
    sendMessage(message: unknown): Promise<unknown>;
  };
  storage: {
    local: StorageAreaApi;
    /** In memory only, cleared when the browser closes: OAuth tokens live here, never on disk. */
    session: StorageAreaApi;
    onChanged: BrowserEvent<(changes: Record<string, StorageChange>, areaName: string) => void>;
  };
  dnr: {
    getSessionRules(): Promise<DnrRule[]>;
    updateSessionRules(options: { removeRuleIds: number[]; addRules: DnrRule[] }): Promise<void>;
    /** Static rulesets (manifest `declarative_net_request`): only the viewer's, see core/viewer-rule.ts. */
    getEnabledRulesets(): Promise<string[]>;
    updateEnabledRulesets(options: { enableRulesetIds?: string[]; disableRulesetIds?: string[] }): Promise<void>;
  };
  /** With `tabId`, the value applies to that tab only (null text falls back to the global badge). */
  action: {
    setBadgeText(details: { text: string | null; tabId?: number }): Promise<void>;
    setBadgeBackgroundColor(details: { color: string; tabId?: number }): Promise<void>;
    setTitle(details: { title: string; tabId?: number }): Promise<void>;
    setIcon(details: { path: Record<string, string>; tabId?: number }): Promise<void>;
  };
  permissions: {
    /** Host patterns the browser has granted right now (manifest and optional ones). */
    grantedOrigins(): Promise<string[]>;
    remove(origins: string[]): Promise<boolean>;
    onAdded: BrowserEvent<() => void>;
    onRemoved: BrowserEvent<() => void>;
  };
  tabs: {
    /** Whether the tab is still open (no "tabs" permission needed). */
    exists(tabId: number): Promise<boolean>;
    onRemoved: BrowserEvent<(tabId: number) => void>;
    /** Without the "tabs" permission the change carries no URL, but `status` is there. */
    onUpdated: BrowserEvent<(tabId: number, change: { status?: string }) => void>;
  };
  contextMenus: {
    removeAll(): Promise<void>;
    create(details: ContextMenuCreate): Promise<void>;
    onClicked: BrowserEvent<(info: { menuItemId: string | number }) => void>;
  };
  alarms: {
    create(name: string, info: { when: number }): Promise<void>;
    clear(name: string): Promise<boolean>;
    onAlarm: BrowserEvent<(alarm: { name: string }) => void>;
  };
  commands: {
    getAll(): Promise<{ name?: string; shortcut?: string }[]>;
    onCommand: BrowserEvent<(command: string) => void>;
  };
  webRequest: {
    onBeforeRequest: WebRequestEvent;
    /** Only redirects (rare): the monitor notes a placeholder `key` the rules removed. */
    onBeforeRedirect: WebRequestEvent;
    onSendHeaders: WebRequestEvent;
    onCompleted: WebRequestEvent;
    onErrorOccurred: WebRequestEvent;
  };
  notifications: {
    /** Whether the user granted the optional `notifications` permission. */
    granted(): Promise<boolean>;
    /** Show a desktop notification; does nothing when the permission is missing. */
    create(id: string, options: { title: string; message: string }): Promise<void>;
  };
}

/**
 * The host access the manifest asks for (`host_permissions`), as the browser has granted it.
 * Firefox lets the user withhold or revoke it (MV3 host permissions are optional there) and
 * Chromium lets the user restrict site access; without it declarativeNetRequest silently leaves
 * requests alone. Kept apart from BrowserApi: only the popup needs it.
 */
export interface HostAccessApi {
  /** The patterns the manifest declares in `host_permissions`, in manifest order. */
  declared(): string[];
  /** Which of `origins` the browser has granted. */
  granted(origins: string[]): Promise<string[]>;
  /**
   * Ask the user for `origins`. Call it synchronously from a click handler: Firefox refuses
   * `permissions.request` outside the handling of user input.
   */
  request(origins: string[]): Promise<boolean>;
  /** Calls `onChange` when granted permissions change; returns an unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}
