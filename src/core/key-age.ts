/** Key-rotation reminders (issue 5, "Key age"): pure, with the clock passed in. */
import { MS_PER_DAY } from './calendar';

/** Where the user regenerates a key: the OS Data Hub's projects page. */
export const OS_DATA_HUB_PROJECTS_URL = 'https://osdatahub.os.uk/projects';
export const DEFAULT_KEY_AGE_DAYS = 90;

export interface KeyAgeReminder {
  /** Whole days since the key was added or rotated (0 if unknown or in the future). */
  ageDays: number;
  /** True once the key is `thresholdDays` old or more. */
  due: boolean;
  message: string;
}

/**
 * How old a project's key is and whether to remind the user to rotate it. A future `keyChangedAt`
 * (clock moved back) counts as 0 days rather than negative; a threshold that is not a
 * non-negative number falls back to 90 days.
 */
export function keyAgeReminder(q: { keyChangedAt: number; now: number; thresholdDays?: number }): KeyAgeReminder {
  const threshold =
    typeof q.thresholdDays === 'number' && Number.isFinite(q.thresholdDays) && q.thresholdDays >= 0
      ? Math.floor(q.thresholdDays)
      : DEFAULT_KEY_AGE_DAYS;
  const known = Number.isFinite(q.keyChangedAt) && Number.isFinite(q.now);
  // keyChangedAt 0 comes from migrated projects with no createdAt: the age is unknown, not 50+ years.
  if (!known || q.keyChangedAt <= 0) {
    return {
      ageDays: 0,
      due: false,
      message: 'This key\'s age is unknown. Use "I rotated it" after you next regenerate it.',
    };
  }
  const ageDays = Math.max(0, Math.floor((q.now - q.keyChangedAt) / MS_PER_DAY));
  const days = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;
  if (ageDays >= threshold) {
    return {
      ageDays,
      due: true,
      message: `This key is ${days(ageDays)} old. Regenerate it on the OS Data Hub, paste the new key here, then choose "I rotated it".`,
    };
  }
  return {
    ageDays,
    due: false,
    message: `This key is ${days(ageDays)} old; rotation is due in ${days(threshold - ageDays)}.`,
  };
}
