/**
 * The options page keeps the activity log it has shown and asks the background only for what is
 * newer (getActivity with afterSeq): polling the whole 3,000-row log every 2 s cost the page a long
 * task per refresh and drew every visible row again.
 */
import type { ActivityReply } from '../core/messages';
import type { ActivityRow } from '../core/monitoring';

/** The log as the page holds it: rows newest first. */
export interface ActivityLog {
  rows: ActivityRow[];
  recording: boolean;
  context: string | undefined;
}

/** What to ask for next: only newer rows when the page holds a log made in a known context. */
export function nextActivityRequest(log: ActivityLog | null): { afterSeq?: number; context?: string } {
  if (!log || log.context === undefined) return {};
  return { afterSeq: log.rows[0]?.seq ?? 0, context: log.context };
}

/**
 * The page's log after `reply`. A full answer replaces it. A partial one (with `since`) puts the new
 * rows on top (any the page already holds are skipped, so two overlapping refreshes never list a row
 * twice) and drops the rows the background no longer holds (cleared, or pushed out of the ring).
 * When nothing changed, `previous` itself comes back, so the page does not draw again.
 */
export function mergeActivity(previous: ActivityLog | null, reply: ActivityReply): ActivityLog {
  if (!reply.since || !previous) return { rows: reply.rows, recording: reply.recording, context: reply.context };
  const newest = previous.rows[0]?.seq ?? 0;
  const fresh = reply.rows.filter((r) => r.seq > newest);
  const { oldestSeq } = reply.since;
  const kept = oldestSeq === null ? [] : previous.rows.filter((r) => r.seq >= oldestSeq);
  const unchanged =
    fresh.length === 0 &&
    kept.length === previous.rows.length &&
    reply.recording === previous.recording &&
    reply.context === previous.context;
  if (unchanged) return previous;
  return {
    rows: fresh.length === 0 && kept.length === previous.rows.length ? previous.rows : [...fresh, ...kept],
    recording: reply.recording,
    context: reply.context,
  };
}
