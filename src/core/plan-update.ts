/**
 * Diff installed rules against desired rules into one update, so switching projects happens in a
 * single `updateSessionRules` call: the engine applies removals and additions together, and no
 * request sees both credentials or neither.
 */
import type { DnrRule } from './dnr-rule';
import { isOurRuleId } from './rule-ids';

export interface RulePlan {
  removeRuleIds: number[];
  addRules: DnrRule[];
}

/** JSON with object keys sorted, so rules compare by content whatever order the engine returns. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The smallest update turning `installed` into `desired`, or null when nothing changes.
 * Rules outside our ID band are left alone; rules inside it that are not desired are removed.
 * A rule whose content changed under the same ID is removed and re-added in the same call.
 */
export function planUpdate(installed: readonly DnrRule[], desired: readonly DnrRule[]): RulePlan | null {
  const ours = installed.filter((r) => isOurRuleId(r.id));
  const installedById = new Map(ours.map((r) => [r.id, canonical(r)]));
  const desiredIds = new Set(desired.map((r) => r.id));
  const removeRuleIds = ours
    .filter(
      (r) => !desiredIds.has(r.id) || desired.some((d) => d.id === r.id && canonical(d) !== installedById.get(r.id)),
    )
    .map((r) => r.id);
  const addRules = desired.filter((d) => installedById.get(d.id) !== canonical(d));
  if (!removeRuleIds.length && !addRules.length) return null;
  return { removeRuleIds: removeRuleIds.sort((a, b) => a - b), addRules };
}
