/** The monitoring settings in `storage.local` (see core/settings.ts): read with defaults, written whole. */
import { DEFAULT_SETTINGS, parseSettings, SETTINGS_STORAGE_KEY, type Settings } from '../core/settings';
import type { StorageAreaApi } from '../lib/browser-api';

export interface SettingsStore {
  load(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
}

export function createSettingsStore(local: StorageAreaApi): SettingsStore {
  return {
    async load() {
      try {
        return parseSettings((await local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY]);
      } catch {
        return DEFAULT_SETTINGS; // unreadable: defaults, and the stored value is left as it is
      }
    },
    save: (settings) => local.set({ [SETTINGS_STORAGE_KEY]: settings }),
  };
}
