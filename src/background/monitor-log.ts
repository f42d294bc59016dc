/**
 * The activity log's store: the newest DEFAULT_ACTIVITY_MAX rows in memory, stored in
 * `storage.session` in blocks of ACTIVITY_BLOCK_SIZE rows under `activityLog.<n>` (n cycling
 * through ACTIVITY_BLOCKS keys), so a batched write stores the one or two blocks that changed
 * rather than the whole log (3,000 rows is ~1 MB to serialise; the monitoring-cost benchmark
 * showed it). Rows hold no key: paths and initiators are redacted in `appendActivity`.
 */
import { appendActivity, DEFAULT_ACTIVITY_MAX, type ActivityEntry } from '../core/activity-log';
import { restoreLogEntries, type LoggedEntry } from '../core/monitor-records';
import { activityBlockEntry, type StorageEntry } from '../core/storage-registry';

export const ACTIVITY_BLOCK_SIZE = 250;
export const ACTIVITY_BLOCKS = Math.ceil(DEFAULT_ACTIVITY_MAX / ACTIVITY_BLOCK_SIZE) + 1;
export const ALL_BLOCKS: readonly StorageEntry[] = Array.from({ length: ACTIVITY_BLOCKS }, (_, n) =>
  activityBlockEntry(n),
);

export interface LogStore {
  /** Take the stored blocks (rows of another shape are dropped). */
  restore(blocks: readonly unknown[]): void;
  lastSeq(): number;
  append(entry: ActivityEntry, seq: number): void;
  entries(): readonly LoggedEntry[];
  /** Forget every row (the caller removes ALL_BLOCKS from storage). */
  clear(): void;
  /** The blocks changed since the last call, to write. */
  takeWrites(): [StorageEntry, unknown][];
}

export function createLogStore(): LogStore {
  let ring: LoggedEntry[] = [];
  /** Blocks (seq / ACTIVITY_BLOCK_SIZE) with rows not yet stored. */
  const dirtyBlocks = new Set<number>();
  return {
    restore(blocks) {
      ring = restoreLogEntries(blocks)
        .sort((a, b) => a.seq - b.seq)
        .slice(-DEFAULT_ACTIVITY_MAX);
    },
    lastSeq: () => ring.at(-1)?.seq ?? 0,
    append(entry, seq) {
      // In place: copying a 3,000-row log per request was most of the monitor's CPU cost.
      ring.push(...appendActivity([], { ...entry, seq }, 1));
      if (ring.length > DEFAULT_ACTIVITY_MAX + ACTIVITY_BLOCK_SIZE) ring.splice(0, ring.length - DEFAULT_ACTIVITY_MAX);
      dirtyBlocks.add(Math.floor(seq / ACTIVITY_BLOCK_SIZE));
    },
    entries: () => ring.slice(-DEFAULT_ACTIVITY_MAX),
    clear() {
      ring = [];
      dirtyBlocks.clear();
    },
    takeWrites() {
      const items: [StorageEntry, unknown][] = [];
      for (const block of dirtyBlocks)
        items.push([
          activityBlockEntry(block % ACTIVITY_BLOCKS),
          ring.filter((e) => Math.floor(e.seq / ACTIVITY_BLOCK_SIZE) === block),
        ]);
      dirtyBlocks.clear();
      return items;
    },
  };
}
