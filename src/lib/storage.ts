/**
 * The one place that calls `storage.local` and `storage.session`: every read and write names an
 * entry of core/storage-registry.ts, so what is stored where is declared once (lint keeps storage
 * calls out of every other file).
 */
import type { StorageAreaName, StorageEntry } from '../core/storage-registry';
import type { StorageAreaApi } from './browser-api';

type Areas = Readonly<Record<StorageAreaName, Pick<StorageAreaApi, 'get' | 'set' | 'remove'>>>;

export interface KeyedStorage {
  /** One entry's stored value (undefined when absent). */
  read(entry: StorageEntry): Promise<unknown>;
  /** Several entries of one area in one call, values in the same order. */
  readMany(entries: readonly StorageEntry[]): Promise<unknown[]>;
  /** Write entries (one call per area touched, so entries of one area change together). */
  write(...pairs: readonly (readonly [StorageEntry, unknown])[]): Promise<void>;
  remove(...entries: readonly StorageEntry[]): Promise<void>;
  /** Every stored entry of `area` that `entryOf` recognises by its key (a family like the backups), with its value. */
  readAll(area: StorageAreaName, entryOf: (key: string) => StorageEntry | null): Promise<[StorageEntry, unknown][]>;
}

function oneArea(entries: readonly StorageEntry[]): StorageAreaName {
  const area = entries[0]?.area ?? 'local';
  if (entries.some((e) => e.area !== area)) throw new Error('readMany: entries from one storage area only');
  return area;
}

export function keyedStorage(areas: Areas): KeyedStorage {
  return {
    async read(entry) {
      return (await areas[entry.area].get(entry.key))[entry.key];
    },
    async readMany(entries) {
      const got = await areas[oneArea(entries)].get(entries.map((e) => e.key));
      return entries.map((e) => got[e.key]);
    },
    async write(...pairs) {
      const byArea = new Map<StorageAreaName, Record<string, unknown>>();
      for (const [entry, value] of pairs) byArea.set(entry.area, { ...byArea.get(entry.area), [entry.key]: value });
      await Promise.all([...byArea].map(([area, items]) => areas[area].set(items)));
    },
    async remove(...entries) {
      for (const area of ['local', 'session'] as const) {
        const keys = entries.filter((e) => e.area === area).map((e) => e.key);
        if (keys.length) await areas[area].remove(keys.length === 1 ? keys[0]! : keys);
      }
    },
    async readAll(area, entryOf) {
      const all = await areas[area].get(null);
      return Object.entries(all).flatMap(([key, value]) => {
        const entry = entryOf(key);
        return entry && entry.area === area ? [[entry, value] as [StorageEntry, unknown]] : [];
      });
    },
  };
}

/** One entry read from a bare storage area (the viewer's content script has no BrowserApi). */
export async function readFrom(
  area: { get(keys: string): Promise<Record<string, unknown>> },
  entry: StorageEntry,
): Promise<unknown> {
  return (await area.get(entry.key))[entry.key];
}
