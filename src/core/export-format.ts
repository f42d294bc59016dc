/**
 * The export file: a documented, versioned JSON format (docs/export-format.md). Only what a user
 * chose is written: names and settings always, keys and secrets only when asked. Internal fields
 * (id, rule slot, revision, timestamps) stay out, so a file can be imported on another browser
 * without colliding with that browser's ids or rule slots.
 */
import type { AuthMode, KeyringState, ProjectMode } from './project';

/** The `format` marker, so an import can tell our file from any other JSON. */
export const EXPORT_FORMAT = 'os-api-keyring';
/** Bumped only for changes an older reader would misread; added optional fields keep version 1. */
export const EXPORT_VERSION = 1;
/** Written only into files that include secrets, for whoever opens the file in an editor. */
export const SECRETS_NOTICE =
  'This file contains API keys and secrets. Keep it private: anyone with it can use your OS Data Hub projects.';

/** One project as written to the file. `key`/`secret` appear only in exports that include secrets. */
export interface ExportedProject {
  name: string;
  authMode: AuthMode;
  /** Development or Live mode. Files written before schema 5 call it `plan`; imports read both. */
  mode: ProjectMode;
  badgeText: string;
  color: string;
  key?: string;
  /** Omitted when the project has none, even when secrets are included. */
  secret?: string;
}

/** The whole file (version 1). */
export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601 UTC, for the user's benefit only: imports ignore it. */
  exportedAt: string;
  appVersion: string;
  includesSecrets: boolean;
  notice?: string;
  projects: ExportedProject[];
}

/**
 * The export file's text (pretty-printed JSON with a trailing newline).
 * Without `includeSecrets` no key or secret, not even a masked hint, is written: such a file is
 * meant to be shared (with a team, in a repository), and a re-import onto a browser that has the
 * projects keeps the saved keys anyway, so a hint would only leak without helping.
 */
export function exportProjects(
  state: KeyringState,
  options: { includeSecrets: boolean; now: number; appVersion: string },
): string {
  const file: ExportFile = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: isoTimestamp(options.now),
    appVersion: options.appVersion,
    includesSecrets: options.includeSecrets,
    ...(options.includeSecrets ? { notice: SECRETS_NOTICE } : {}),
    // Fields are copied one by one (never spread) so an internal field added later cannot leak.
    projects: state.projects.map((p) => ({
      name: p.name,
      authMode: p.authMode,
      mode: p.mode,
      badgeText: p.badgeText,
      color: p.color,
      ...(options.includeSecrets ? { key: p.key, ...(p.secret ? { secret: p.secret } : {}) } : {}),
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A suggested file name for the download, e.g. `os-api-keyring-2025-03-01.json`. */
export function exportFileName(now: number, includeSecrets: boolean): string {
  return `os-api-keyring-${isoTimestamp(now).slice(0, 10)}${includeSecrets ? '-with-secrets' : ''}.json`;
}

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `now` (ms since the epoch) as `YYYY-MM-DDTHH:mm:ss.sssZ`, like `Date#toISOString` for years
 * 0–9999. Written by hand because core may not touch the `Date` global (the clock is passed in);
 * the days → civil date step is Howard Hinnant's `civil_from_days`.
 */
export function isoTimestamp(now: number): string {
  const ms = Number.isFinite(now) ? Math.floor(now) : 0;
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  const z = days + 719_468; // days from 0000-03-01, so leap days fall at the end of each year
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const time = [Math.floor(inDay / 3_600_000), Math.floor(inDay / 60_000) % 60, Math.floor(inDay / 1_000) % 60]
    .map((n) => pad(n))
    .join(':');
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${time}.${pad(inDay % 1_000, 3)}Z`;
}
