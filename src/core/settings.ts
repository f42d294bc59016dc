/**
 * User settings for monitoring (issue 5), kept apart from the versioned project state under their
 * own `storage.local` key: they hold no secrets, every field has a safe default, and a damaged or
 * partial value falls back field by field instead of blocking anything (so no migration is needed
 * to add one).
 */
import { DEFAULT_KEY_AGE_DAYS } from './key-age';
import { STORAGE } from './storage-registry';

export interface Settings {
  /** Record OS API requests in the activity log and count usage (on by default). */
  recordActivity: boolean;
  /**
   * Also time each request (on by default). It needs a second webRequest event per request: about
   * a sixth of the monitor's extra CPU in the monitoring-cost benchmark, no page-load difference
   * it could measure. Off, the log's time is when the request ended and its duration is blank.
   */
  recordDurations: boolean;
  /** Desktop notifications for alerts (opt-in; also needs the browser's `notifications` permission). */
  notifications: boolean;
  /** Remind the user to rotate a key after this many days (1–3650). */
  keyAgeDays: number;
  /**
   * Show OS API responses opened in a tab (JSON, GeoJSON, XML) in the extension's viewer, with
   * features on a map (on by default). Off, the browser's own rendering is left alone.
   */
  viewer: boolean;
}

export const SETTINGS_STORAGE_KEY = STORAGE.settings.key;
export const DEFAULT_SETTINGS: Settings = {
  recordActivity: true,
  recordDurations: true,
  notifications: false,
  keyAgeDays: DEFAULT_KEY_AGE_DAYS,
  viewer: true,
};
export const KEY_AGE_DAYS_RANGE = { min: 1, max: 3650 } as const;

function validDays(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= KEY_AGE_DAYS_RANGE.min &&
    value <= KEY_AGE_DAYS_RANGE.max
  );
}

/** Stored settings, with the default for any field that is missing or invalid. Never throws. */
export function parseSettings(raw: unknown): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    recordActivity: typeof r.recordActivity === 'boolean' ? r.recordActivity : DEFAULT_SETTINGS.recordActivity,
    recordDurations: typeof r.recordDurations === 'boolean' ? r.recordDurations : DEFAULT_SETTINGS.recordDurations,
    notifications: typeof r.notifications === 'boolean' ? r.notifications : DEFAULT_SETTINGS.notifications,
    keyAgeDays: validDays(r.keyAgeDays) ? r.keyAgeDays : DEFAULT_SETTINGS.keyAgeDays,
    viewer: typeof r.viewer === 'boolean' ? r.viewer : DEFAULT_SETTINGS.viewer,
  };
}

/** Apply a change from the options page: every given field must be valid, or nothing changes. */
export function applySettingsPatch(
  current: Settings,
  patch: Partial<Settings>,
): { ok: true; settings: Settings } | { ok: false; message: string } {
  if (patch.recordActivity !== undefined && typeof patch.recordActivity !== 'boolean')
    return { ok: false, message: 'Record activity must be on or off.' };
  if (patch.recordDurations !== undefined && typeof patch.recordDurations !== 'boolean')
    return { ok: false, message: 'Record durations must be on or off.' };
  if (patch.notifications !== undefined && typeof patch.notifications !== 'boolean')
    return { ok: false, message: 'Notifications must be on or off.' };
  if (patch.viewer !== undefined && typeof patch.viewer !== 'boolean')
    return { ok: false, message: 'The response viewer must be on or off.' };
  if (patch.keyAgeDays !== undefined && !validDays(patch.keyAgeDays)) {
    return {
      ok: false,
      message: `The key age reminder must be a whole number of days from ${KEY_AGE_DAYS_RANGE.min} to ${KEY_AGE_DAYS_RANGE.max}.`,
    };
  }
  return { ok: true, settings: { ...current, ...patch } };
}
