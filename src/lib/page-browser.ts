/**
 * The browser APIs the popup uses, over the browser's own promise-based namespace: `browser` in
 * Firefox and in Chrome 148+, `chrome` before that (MV3 `chrome.*` methods return promises). The
 * popup does not load webextension-polyfill: it needs only these few calls, and every kilobyte of
 * the popup is paid on each opening (the background keeps the polyfill, see browser.ts).
 */
import type { BrowserApi, HostAccessApi } from './browser-api';

const ext: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;

/** Messaging and the storage change signal: all the keyring client needs. */
export function pageBrowser(): Pick<BrowserApi, 'runtime' | 'storage'> {
  return {
    runtime: {
      id: ext.runtime.id,
      getURL: (path) => ext.runtime.getURL(path),
      onInstalled: ext.runtime.onInstalled,
      onStartup: ext.runtime.onStartup,
      onMessage: ext.runtime.onMessage,
      sendMessage: (message) => ext.runtime.sendMessage<unknown, unknown>(message),
    },
    storage: {
      local: ext.storage.local,
      session: ext.storage.session,
      onChanged: ext.storage.onChanged,
    },
  };
}

export function pageHostAccess(): HostAccessApi {
  return {
    declared: (): string[] => (ext.runtime.getManifest() as chrome.runtime.ManifestV3).host_permissions ?? [],
    async granted(origins) {
      const checks = await Promise.all(origins.map((origin) => ext.permissions.contains({ origins: [origin] })));
      return origins.filter((_, i) => checks[i]);
    },
    request: (origins) => ext.permissions.request({ origins }),
    subscribe(onChange) {
      const listener = () => onChange();
      ext.permissions.onAdded.addListener(listener);
      ext.permissions.onRemoved.addListener(listener);
      return () => {
        ext.permissions.onAdded.removeListener(listener);
        ext.permissions.onRemoved.removeListener(listener);
      };
    },
  };
}

/**
 * The tab the popup acts on: the active tab of its window, or the tab named by `?tabId=` when the
 * popup page is opened in a tab of its own (tests do that; the real toolbar popup never has it).
 * Its URL is visible through `activeTab` after a toolbar click, or through a host permission.
 */
export async function popupTargetTab(search: string): Promise<{ id: number; url?: string } | null> {
  const fromQuery = Number(new URLSearchParams(search).get('tabId'));
  const tab =
    Number.isInteger(fromQuery) && fromQuery > 0
      ? await ext.tabs.get(fromQuery).catch(() => undefined)
      : (await ext.tabs.query({ active: true, currentWindow: true }))[0];
  if (tab?.id === undefined || tab.id < 0) return null;
  // The popup page open in a tab of its own is not a page the user is working on.
  if (tab.url?.startsWith(ext.runtime.getURL(''))) return null;
  return { id: tab.id, ...(tab.url ? { url: tab.url } : {}) };
}

/** Open the extension's options page ("Activity and settings") in a tab. */
export function openOptionsPage(): void {
  void ext.runtime.openOptionsPage();
}

/**
 * Ask for an optional API permission (such as `notifications`). Call it during the click itself:
 * the browser shows its prompt only while handling user input.
 */
export function requestPermission(permission: chrome.runtime.ManifestOptionalPermission): Promise<boolean> {
  return ext.permissions.request({ permissions: [permission] });
}

/**
 * Titles of the open tabs, by id. Without the `tabs` permission the browser gives a tab's title
 * only where the extension has host access (local pages, api.os.uk, allowed sites): the others
 * are left out.
 */
export async function openTabTitles(): Promise<ReadonlyMap<number, string>> {
  const tabs = await ext.tabs.query({});
  return new Map(tabs.filter((t) => t.id !== undefined && t.title).map((t) => [t.id!, t.title!]));
}
