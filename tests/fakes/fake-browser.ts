/**
 * An in-memory browser implementing `BrowserApi`, for tests of the background and popup.
 * It mimics the engine rules that matter to us: storage `get` semantics and `onChanged` with the
 * area name; session rules updated atomically (removals then additions), rejecting duplicate IDs
 * and leaving everything unchanged on rejection; a history of every rule-set state so tests can
 * check that no intermediate state ever existed.
 */
import { winningRule } from '../../src/core/attribute-request';
import type { DnrRule, ResourceType } from '../../src/core/dnr-rule';
import type { MessageMap, MessageName } from '../../src/core/messages';
import { sendMessage } from '../../src/lib/messaging';
import type {
  BrowserApi,
  BrowserEvent,
  ContextMenuCreate,
  MessageSender,
  StorageChange,
  WebRequestDetails,
  WebRequestEvent,
} from '../../src/lib/browser-api';

export class FakeEvent<F extends (...args: never[]) => unknown> implements BrowserEvent<F> {
  listeners: F[] = [];
  addListener(listener: F): void {
    this.listeners.push(listener);
  }
  removeListener(listener: F): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
  /** Call every listener; returns their return values. */
  dispatch(...args: Parameters<F>): unknown[] {
    return this.listeners.map((l) => l(...args));
  }
}

/** A webRequest event: listeners with their URL filter (only `https://host/*` patterns are used). */
export class FakeWebRequestEvent implements WebRequestEvent {
  listeners: { listener: (d: WebRequestDetails) => void; urls: string[]; extraInfoSpec?: string[] }[] = [];
  addListener(listener: (d: WebRequestDetails) => void, filter: { urls: string[] }, extraInfoSpec?: string[]): void {
    this.listeners.push({ listener, urls: filter.urls, ...(extraInfoSpec ? { extraInfoSpec } : {}) });
  }
  removeListener(listener: (d: WebRequestDetails) => void): void {
    this.listeners = this.listeners.filter((l) => l.listener !== listener);
  }
  dispatch(details: WebRequestDetails): void {
    for (const { listener, urls, extraInfoSpec } of this.listeners) {
      // As in the browsers: request headers only for listeners that asked for them.
      const { requestHeaders, ...rest } = details;
      const shown = requestHeaders && extraInfoSpec?.includes('requestHeaders') ? { ...rest, requestHeaders } : rest;
      if (urls.some((u) => details.url.startsWith(u.replace(/\*$/, '')))) listener(structuredClone(shown));
    }
  }
}

/** One request as the fake network sees it, for {@link FakeBrowser.observeRequest}. */
export interface FakeRequest {
  url: string;
  status: number;
  method?: string;
  type?: string;
  tabId?: number;
  initiator?: string;
  start?: number;
  durationMs?: number;
  /** Status 0 with this error: a network failure. */
  error?: string;
  /** Headers the page itself set (the session rules then act on them, as the browser's would). */
  requestHeaders?: { name: string; value: string }[];
  /** Never sent to the server: answered from the cache (`fromCache`), or failed before sending. */
  notSent?: 'cache' | 'error';
}

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

export interface FakeBrowserOptions {
  extensionId?: string;
}

export class FakeBrowser implements BrowserApi {
  readonly extensionId: string;
  /** storage.local contents. */
  local = new Map<string, unknown>();
  /** storage.session contents (cleared by `restartBrowser`). */
  session = new Map<string, unknown>();
  /** Pending alarms: name → when (ms). */
  alarmTimes = new Map<string, number>();
  /** Set to make the next storage.local writes fail (like a full quota). */
  failWrites: Error | null = null;
  /** Set to make the next storage.session writes fail (its quota is separate from local's). */
  failSessionWrites: Error | null = null;
  sessionRules: DnrRule[] = [];
  /** Static rulesets enabled (the manifest enables the viewer's at install). */
  enabledRulesets = new Set<string>(['viewer']);
  /** Every session rule set after each successful update, in order. */
  ruleHistory: DnrRule[][] = [];
  updateCalls = 0;
  badge = { text: '', color: '', title: '', icon: {} as Record<string, string> };
  /** Tab-specific toolbar values (text null = follows the global badge). */
  tabBadges = new Map<
    number,
    { text?: string | null; color?: string; title?: string; icon?: Record<string, string> }
  >();
  /** Tabs that have been closed (all others count as open). */
  closedTabs = new Set<number>();
  /** Host patterns granted: the manifest's, plus optional ones added by tests. */
  granted = new Set<string>(['https://api.os.uk/*', 'http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*']);
  menu: ContextMenuCreate[] = [];
  /** Whether the optional `notifications` permission is granted, and what was shown. */
  notificationsGranted = false;
  shownNotifications: { id: string; title: string; message: string }[] = [];
  private requestSeq = 0;
  shortcuts: Record<string, string> = { 'cycle-project': 'Alt+Shift+K' };

  alarms: BrowserApi['alarms'];
  permissions: BrowserApi['permissions'];
  tabs: BrowserApi['tabs'];
  runtime: BrowserApi['runtime'];
  storage: BrowserApi['storage'];
  dnr: BrowserApi['dnr'];
  action: BrowserApi['action'];
  contextMenus: BrowserApi['contextMenus'] & { onClicked: FakeEvent<(info: { menuItemId: string | number }) => void> };
  commands: BrowserApi['commands'] & { onCommand: FakeEvent<(command: string) => void> };
  webRequest = {
    onBeforeRequest: new FakeWebRequestEvent(),
    onBeforeRedirect: new FakeWebRequestEvent(),
    onSendHeaders: new FakeWebRequestEvent(),
    onCompleted: new FakeWebRequestEvent(),
    onErrorOccurred: new FakeWebRequestEvent(),
  };
  notifications: BrowserApi['notifications'];

  events = {
    onInstalled: new FakeEvent<(details: { reason: string }) => void>(),
    onStartup: new FakeEvent<() => void>(),
    onMessage: new FakeEvent<(message: unknown, sender: MessageSender) => Promise<unknown> | undefined>(),
    onStorageChanged: new FakeEvent<(changes: Record<string, StorageChange>, area: string) => void>(),
    onMenuClicked: new FakeEvent<(info: { menuItemId: string | number }) => void>(),
    onCommand: new FakeEvent<(command: string) => void>(),
    onAlarm: new FakeEvent<(alarm: { name: string }) => void>(),
    onPermissionsAdded: new FakeEvent<() => void>(),
    onPermissionsRemoved: new FakeEvent<() => void>(),
    onTabRemoved: new FakeEvent<(tabId: number) => void>(),
    onTabUpdated: new FakeEvent<(tabId: number, change: { status?: string }) => void>(),
  };

  constructor(options: FakeBrowserOptions = {}) {
    this.extensionId = options.extensionId ?? 'abcdefghijklmnopabcdefghijklmnop';
    const origin = `chrome-extension://${this.extensionId}`;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the object literals below implement browser APIs whose methods have their own `this`
    const fake = this;
    this.runtime = {
      id: this.extensionId,
      getURL: (path) => `${origin}/${path.replace(/^\//, '')}`,
      onInstalled: this.events.onInstalled,
      onStartup: this.events.onStartup,
      onMessage: this.events.onMessage,
      // Pages send as our own popup; clone both ways like structured messaging does.
      sendMessage: (message) =>
        fake.deliverMessage(clone(message), { id: fake.extensionId, url: `${origin}/src/popup/index.html`, origin }),
    };
    const area = (name: 'local' | 'session') => {
      const map = () => (name === 'local' ? fake.local : fake.session);
      return {
        async get(keys: string | string[] | null) {
          const wanted = keys === null ? [...map().keys()] : Array.isArray(keys) ? keys : [keys];
          return Object.fromEntries(wanted.filter((k) => map().has(k)).map((k) => [k, clone(map().get(k))]));
        },
        async set(items: Record<string, unknown>) {
          if (fake.failWrites && name === 'local') throw fake.failWrites;
          if (fake.failSessionWrites && name === 'session') throw fake.failSessionWrites;
          const changes: Record<string, StorageChange> = {};
          for (const [k, v] of Object.entries(items)) {
            changes[k] = { oldValue: clone(map().get(k)), newValue: clone(v) };
            map().set(k, clone(v));
          }
          queueMicrotask(() => fake.events.onStorageChanged.dispatch(changes, name));
        },
        async remove(keys: string | string[]) {
          for (const k of Array.isArray(keys) ? keys : [keys]) map().delete(k);
        },
      };
    };
    this.storage = { local: area('local'), session: area('session'), onChanged: this.events.onStorageChanged };
    this.alarms = {
      create: async (name, { when }) => void fake.alarmTimes.set(name, when),
      clear: async (name) => fake.alarmTimes.delete(name),
      onAlarm: this.events.onAlarm,
    };
    this.dnr = {
      getSessionRules: async () => clone(fake.sessionRules),
      async updateSessionRules({ removeRuleIds, addRules }) {
        fake.updateCalls++;
        const next = fake.sessionRules.filter((r) => !removeRuleIds.includes(r.id));
        for (const rule of addRules) {
          if (next.some((r) => r.id === rule.id)) throw new Error(`Rule with id ${rule.id} does not have a unique ID.`);
          next.push(clone(rule));
        }
        fake.sessionRules = next;
        fake.ruleHistory.push(clone(next));
      },
      getEnabledRulesets: async () => [...fake.enabledRulesets],
      async updateEnabledRulesets({ enableRulesetIds = [], disableRulesetIds = [] }) {
        for (const id of disableRulesetIds) fake.enabledRulesets.delete(id);
        for (const id of enableRulesetIds) fake.enabledRulesets.add(id);
      },
    };
    const tabBadge = (tabId: number) => fake.tabBadges.get(tabId) ?? fake.tabBadges.set(tabId, {}).get(tabId)!;
    this.action = {
      setBadgeText: async ({ text, tabId }) =>
        void (tabId === undefined ? (fake.badge.text = text ?? '') : (tabBadge(tabId).text = text)),
      setBadgeBackgroundColor: async ({ color, tabId }) =>
        void (tabId === undefined ? (fake.badge.color = color) : (tabBadge(tabId).color = color)),
      setTitle: async ({ title, tabId }) =>
        void (tabId === undefined ? (fake.badge.title = title) : (tabBadge(tabId).title = title)),
      setIcon: async ({ path, tabId }) =>
        void (tabId === undefined ? (fake.badge.icon = path) : (tabBadge(tabId).icon = path)),
    };
    this.permissions = {
      grantedOrigins: async () => [...fake.granted],
      async remove(origins) {
        origins.forEach((o) => fake.granted.delete(o));
        queueMicrotask(() => fake.events.onPermissionsRemoved.dispatch());
        return true;
      },
      onAdded: this.events.onPermissionsAdded,
      onRemoved: this.events.onPermissionsRemoved,
    };
    this.tabs = {
      exists: async (tabId) => !fake.closedTabs.has(tabId),
      onRemoved: this.events.onTabRemoved,
      onUpdated: this.events.onTabUpdated,
    };
    this.contextMenus = {
      removeAll: async () => void (fake.menu = []),
      async create(details) {
        if (fake.menu.some((m) => m.id === details.id))
          throw new Error(`Cannot create item with duplicate id ${details.id}`);
        fake.menu.push(clone(details));
      },
      onClicked: this.events.onMenuClicked,
    };
    this.notifications = {
      granted: async () => fake.notificationsGranted,
      async create(id, { title, message }) {
        if (fake.notificationsGranted) fake.shownNotifications.push({ id, title, message });
      },
    };
    this.commands = {
      getAll: async () => Object.entries(fake.shortcuts).map(([name, shortcut]) => ({ name, shortcut })),
      onCommand: this.events.onCommand,
    };
  }

  /** Send a typed message as the extension's own popup would (the real page-side messaging code). */
  send<N extends MessageName>(type: N, args: MessageMap[N]['args']): Promise<MessageMap[N]['result']> {
    return sendMessage(this.runtime, type, args);
  }

  /** Deliver a message to the background's listeners the way the browser does. */
  async deliverMessage(message: unknown, sender: MessageSender): Promise<unknown> {
    for (const listener of this.events.onMessage.listeners) {
      const reply = listener(message, sender);
      if (reply !== undefined) return clone(await reply);
    }
    return undefined;
  }

  /**
   * Simulate the service worker being stopped: its listeners and in-memory state are gone, but
   * storage and session rules survive (as in the real browser).
   */
  killWorker(): void {
    for (const event of Object.values(this.events)) event.listeners = [];
    for (const event of Object.values(this.webRequest)) event.listeners = [];
  }

  /** A request goes over the network: webRequest observers see it start and end (as the browser reports it). */
  observeRequest(r: FakeRequest): void {
    this.startRequest(r).complete();
  }

  /** Like observeRequest, but the request is left in flight (sent) until `complete()`. */
  startRequest(r: FakeRequest): { complete(): void } {
    const start = r.start ?? Date.now();
    const base = {
      requestId: String(++this.requestSeq),
      url: r.url,
      method: r.method ?? 'GET',
      type: r.type ?? 'xmlhttprequest',
      tabId: r.tabId ?? 1,
      ...(r.initiator ? { initiator: r.initiator } : {}),
    };
    this.webRequest.onBeforeRequest.dispatch({ ...base, timeStamp: start });
    // The session rules act as the browser's would (the subset of matching our rules use): a
    // header is set, or the request is redirected internally (key added, or a placeholder key
    // removed) and the new URL is matched again.
    let url = r.url;
    let rule = winningRule(this.sessionRules, {
      url,
      type: base.type as ResourceType,
      tabId: base.tabId,
      ...(r.initiator ? { initiator: r.initiator } : {}),
    });
    for (let hops = 0; rule?.action.type === 'redirect' && hops < 5; hops++) {
      const { transform, regexSubstitution } = rule.action.redirect;
      // A regexSubstitution rebuilds the URL from the regexFilter's groups (RE2's \1 is JS's $1).
      const u = new URL(
        regexSubstitution === undefined
          ? url
          : url.replace(new RegExp(rule.condition.regexFilter ?? '$^'), regexSubstitution.replace(/\\(\d)/g, '$$$1')),
      );
      for (const p of transform?.queryTransform.addOrReplaceParams ?? []) u.searchParams.set(p.key, p.value);
      for (const name of transform?.queryTransform.removeParams ?? []) u.searchParams.delete(name);
      if (u.toString() === url) break;
      this.webRequest.onBeforeRedirect.dispatch({ ...base, url, redirectUrl: u.toString(), timeStamp: start });
      url = u.toString();
      this.webRequest.onBeforeRequest.dispatch({ ...base, url, timeStamp: start });
      rule = winningRule(this.sessionRules, {
        url,
        type: base.type as ResourceType,
        tabId: base.tabId,
        ...(r.initiator ? { initiator: r.initiator } : {}),
      });
    }
    const headers = new Map((r.requestHeaders ?? []).map((h) => [h.name.toLowerCase(), h]));
    if (rule?.action.type === 'modifyHeaders') {
      for (const h of rule.action.requestHeaders) {
        if (h.operation === 'set') headers.set(h.header.toLowerCase(), { name: h.header, value: h.value ?? '' });
        else headers.delete(h.header.toLowerCase());
      }
    }
    const at = { ...base, url };
    if (!r.notSent)
      this.webRequest.onSendHeaders.dispatch({ ...at, timeStamp: start, requestHeaders: [...headers.values()] });
    const end = start + (r.durationMs ?? 10);
    return {
      complete: () => {
        if (r.error || r.notSent === 'error')
          this.webRequest.onErrorOccurred.dispatch({ ...at, timeStamp: end, error: r.error ?? 'net::ERR_FAILED' });
        else
          this.webRequest.onCompleted.dispatch({
            ...at,
            timeStamp: end,
            statusCode: r.status,
            ...(r.notSent === 'cache' ? { fromCache: true } : {}),
          });
      },
    };
  }

  /** Simulate a browser restart: the worker dies, session storage and session rules are gone. */
  restartBrowser(): void {
    this.killWorker();
    this.session.clear();
    this.sessionRules = [];
    this.alarmTimes.clear();
  }

  /** The user grants an optional host permission (as the browser's prompt would). */
  grant(pattern: string): void {
    this.granted.add(pattern);
    this.events.onPermissionsAdded.dispatch();
  }

  /** Fire an alarm as the browser would at its time. */
  fireAlarm(name: string): void {
    this.alarmTimes.delete(name);
    this.events.onAlarm.dispatch({ name });
  }
}
