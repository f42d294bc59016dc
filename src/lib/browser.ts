/**
 * The one place that touches the real browser APIs. Everything else receives a `BrowserApi`.
 *
 * webextension-polyfill gives Chrome the promise-based `browser.*` namespace Firefox has natively.
 * It predates MV3 and does not wrap `declarativeNetRequest`; in MV3 Chrome's own `chrome.*`
 * methods already return promises, so those are reached through the polyfill's pass-through.
 */
import browser from 'webextension-polyfill';
import type { DnrRule } from '../core/dnr-rule';
import type { BrowserApi, ContextMenuCreate } from './browser-api';

/** `contextMenus.create` reports failure only through lastError in a callback; turn it into a promise. */
function createMenuItem(details: ContextMenuCreate): Promise<void> {
  return new Promise((resolve, reject) => {
    chrome.contextMenus.create(details, () => {
      const error = chrome.runtime.lastError;
      if (error) reject(new Error(error.message));
      else resolve();
    });
  });
}

export function realBrowser(): BrowserApi {
  const dnr = chrome.declarativeNetRequest;
  return {
    runtime: {
      id: browser.runtime.id,
      getURL: (path) => browser.runtime.getURL(path),
      onInstalled: browser.runtime.onInstalled,
      onStartup: browser.runtime.onStartup,
      onMessage: browser.runtime.onMessage,
      sendMessage: (message) => browser.runtime.sendMessage(message),
    },
    storage: {
      local: browser.storage.local,
      // storage.session is MV3-only and not in the polyfill's metadata; Chrome's own returns promises.
      session: chrome.storage.session,
      onChanged: browser.storage.onChanged,
    },
    dnr: {
      getSessionRules: () => dnr.getSessionRules() as Promise<DnrRule[]>,
      updateSessionRules: (options) => dnr.updateSessionRules(options),
      getEnabledRulesets: () => dnr.getEnabledRulesets(),
      updateEnabledRulesets: (options) => dnr.updateEnabledRulesets(options),
    },
    action: {
      // A null text resets a tab's badge to the global one (Chrome and Firefox both document it).
      setBadgeText: (d) => browser.action.setBadgeText(d),
      setBadgeBackgroundColor: (d) => browser.action.setBadgeBackgroundColor(d),
      setTitle: (d) => browser.action.setTitle(d),
      setIcon: (d) => browser.action.setIcon(d),
    },
    permissions: {
      grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
      remove: (origins) => browser.permissions.remove({ origins }),
      onAdded: browser.permissions.onAdded,
      onRemoved: browser.permissions.onRemoved,
    },
    tabs: {
      exists: (tabId) =>
        browser.tabs.get(tabId).then(
          () => true,
          () => false,
        ),
      onRemoved: browser.tabs.onRemoved,
      onUpdated: browser.tabs.onUpdated,
    },
    contextMenus: {
      removeAll: () => browser.contextMenus.removeAll(),
      create: createMenuItem,
      onClicked: browser.contextMenus.onClicked,
    },
    alarms: {
      create: (name, info) => Promise.resolve(chrome.alarms.create(name, info)),
      clear: (name) => chrome.alarms.clear(name),
      onAlarm: chrome.alarms.onAlarm,
    },
    commands: {
      getAll: () => browser.commands.getAll(),
      onCommand: browser.commands.onCommand,
    },
    webRequest: {
      onBeforeRequest: browser.webRequest.onBeforeRequest,
      onBeforeRedirect: browser.webRequest.onBeforeRedirect,
      onSendHeaders: browser.webRequest.onSendHeaders,
      onCompleted: browser.webRequest.onCompleted,
      onErrorOccurred: browser.webRequest.onErrorOccurred,
    },
    notifications: {
      granted: () => browser.permissions.contains({ permissions: ['notifications'] }),
      async create(id, { title, message }) {
        // The namespace exists only once the optional permission is granted.
        if (!(await browser.permissions.contains({ permissions: ['notifications'] }))) return;
        await browser.notifications.create(id, {
          type: 'basic',
          iconUrl: browser.runtime.getURL('icons/icon-128.png'),
          title,
          message,
        });
      },
    },
  };
}
