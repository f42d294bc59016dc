/**
 * Per-tab project pins, in `storage.session`: they belong to tabs, which do not outlive the
 * browser session, and each ends when its tab closes.
 */
import type { TabPins } from '../core/rules-from-state';
import { STORAGE } from '../core/storage-registry';
import type { KeyedStorage } from '../lib/storage';

export interface PinStore {
  load(): Promise<TabPins>;
  /** Pin a project (or null: Off) to a tab. */
  pin(tabId: number, projectId: string | null): Promise<void>;
  /** Back to the active project. Returns whether there was a pin. */
  unpin(tabId: number): Promise<boolean>;
}

export function createPinStore(storage: KeyedStorage): PinStore {
  async function load(): Promise<Record<number, string | null>> {
    const raw = await storage.read(STORAGE.tabPins);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    // Keep only well-formed entries: session storage is ours, but never trust shape blindly.
    return Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(
        ([tab, project]) => /^\d+$/.test(tab) && (project === null || typeof project === 'string'),
      ),
    ) as Record<number, string | null>;
  }
  return {
    load,
    async pin(tabId, projectId) {
      await storage.write([STORAGE.tabPins, { ...(await load()), [tabId]: projectId }]);
    },
    async unpin(tabId) {
      const pins = await load();
      if (!(tabId in pins)) return false;
      delete pins[tabId];
      await storage.write([STORAGE.tabPins, pins]);
      return true;
    },
  };
}
