/** The monitoring settings in `storage.local` (see core/settings.ts): read with defaults, written whole. */
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../core/settings';
import { STORAGE } from '../core/storage-registry';
import type { KeyedStorage } from '../lib/storage';

export interface SettingsStore {
  load(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
}

export function createSettingsStore(storage: KeyedStorage): SettingsStore {
  return {
    async load() {
      try {
        return parseSettings(await storage.read(STORAGE.settings));
      } catch {
        return DEFAULT_SETTINGS; // unreadable: defaults, and the stored value is left as it is
      }
    },
    save: (settings) => storage.write([STORAGE.settings, settings]),
  };
}
