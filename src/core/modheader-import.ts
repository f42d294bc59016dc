/**
 * Reading ModHeader profile exports, since many users come from ModHeader with their OS key set
 * as a `key` request header. Each profile that sends an enabled `key` header becomes a candidate
 * project (checked afterwards like any other import entry); every other profile is listed as
 * skipped with the reason. The mapping is documented in docs/export-format.md.
 */
import { fitBadge } from './import-entry';
import { MAX_BADGE_LENGTH, MAX_NAME_LENGTH } from './validate-project';

/** A profile mapped to the fields of an import entry (the same names as our export format). */
export interface ModHeaderCandidate {
  name: string;
  key: string;
  authMode: 'header';
  badgeText?: string;
  color?: string;
}

/** What became of one ModHeader profile. Exactly one of `candidate` and `skipped` is set. */
export interface ModHeaderProfileResult {
  /** 1-based position of the profile in the file. */
  position: number;
  /** The profile's title (or "ModHeader profile N" when it has none). */
  title: string;
  candidate?: ModHeaderCandidate;
  /** Why the profile is not imported, in plain words. */
  skipped?: string;
  /** What was adjusted or left out of a mapped profile. */
  notes: string[];
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a hostile file must not reach inherited ones like `constructor`. */
function own(obj: Obj, name: string): unknown {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

const isProfile = (value: unknown): value is Obj => isObject(value) && Array.isArray(own(value, 'headers'));

/**
 * Whether parsed JSON has the shape of a ModHeader export: an array of profiles, one profile
 * (`headers` at the top level, as older ModHeader versions exported), or `{ profiles: [...] }`.
 */
export function looksLikeModHeader(json: unknown): boolean {
  if (Array.isArray(json)) return json.length === 0 || json.some(isProfile);
  return isProfile(json) || (isObject(json) && Array.isArray(own(json, 'profiles')) && !Object.hasOwn(json, 'format'));
}

/** The list of profiles in any of the accepted shapes, or null when there is none. */
function profileList(json: unknown): unknown[] | null {
  if (Array.isArray(json)) return json as unknown[];
  if (isProfile(json)) return [json];
  const profiles = isObject(json) ? own(json, 'profiles') : undefined;
  return Array.isArray(profiles) ? (profiles as unknown[]) : null;
}

/** Expand `#rgb`, lower-case `#rrggbb`; any other CSS colour (names, rgb(), hsl()) gives null. */
function hexColour(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
  return short
    ? `#${short
        .slice(1)
        .map((c) => c + c)
        .join('')}`
    : null;
}

/** The values of the profile's enabled `key` request headers (a missing `enabled` counts as on, as in old exports). */
function keyHeaders(headers: unknown[]): { enabled: string[]; disabled: number; hasAuthorization: boolean } {
  const enabled: string[] = [];
  let disabled = 0;
  let hasAuthorization = false;
  for (const h of headers) {
    if (!isObject(h)) continue;
    const name = own(h, 'name');
    if (typeof name !== 'string') continue;
    const lower = name.trim().toLowerCase();
    if (lower === 'authorization') hasAuthorization = true;
    if (lower !== 'key') continue;
    const value = own(h, 'value');
    if (own(h, 'enabled') === false) disabled++;
    else enabled.push(typeof value === 'string' ? value : '');
  }
  return { enabled, disabled, hasAuthorization };
}

/** Cut to `max` characters (code points, so no half emoji). */
const clip = (s: string, max: number) => Array.from(s).slice(0, max).join('');

/** `title`, or `title (2)`, `title (3)`, … so that no two mapped profiles share a name (case-insensitively). */
function uniqueName(title: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    const name = clip(title, MAX_NAME_LENGTH - suffix.length) + suffix;
    if (!taken.has(name.toLocaleLowerCase())) {
      taken.add(name.toLocaleLowerCase());
      return name;
    }
  }
}

/**
 * Map a parsed ModHeader export to candidate projects. Never throws; returns an error when the
 * JSON is not a ModHeader export at all. Keys are not checked here: the import checks every
 * candidate exactly like an entry of our own format.
 */
export function parseModHeaderExport(
  json: unknown,
): { ok: true; profiles: ModHeaderProfileResult[] } | { ok: false; error: string } {
  const list = profileList(json);
  if (!list) return { ok: false, error: 'This is not a ModHeader profile export (no list of profiles with headers).' };
  const taken = new Set<string>();
  const profiles = list.map((raw, i): ModHeaderProfileResult => {
    const position = i + 1;
    if (!isObject(raw))
      return {
        position,
        title: `ModHeader profile ${position}`,
        skipped: 'This is not a ModHeader profile.',
        notes: [],
      };
    const rawTitle = own(raw, 'title');
    const title = (typeof rawTitle === 'string' ? rawTitle.trim() : '') || `ModHeader profile ${position}`;
    const headers = own(raw, 'headers');
    const found = keyHeaders(Array.isArray(headers) ? headers : []);
    const skip = (skipped: string): ModHeaderProfileResult => ({ position, title, skipped, notes: [] });
    if (found.enabled.length === 0) {
      if (found.disabled > 0) return skip('Its key header is switched off in ModHeader, so it is not imported.');
      if (found.hasAuthorization)
        return skip(
          'It sends an Authorization header, not a key header. Tokens expire, so add this project by hand with its key and secret (OAuth 2).',
        );
      return skip('It does not send a key header.');
    }
    // Two different enabled keys: guessing which one the user relies on could attach the wrong credential.
    if (new Set(found.enabled.map((k) => k.trim())).size > 1)
      return skip('It sends more than one key header with different values; add this project by hand.');
    const notes: string[] = [];
    const name = uniqueName(title, taken);
    if (name !== title)
      notes.push(
        `Imported as “${name}” (${Array.from(title).length > MAX_NAME_LENGTH ? 'the title was too long' : 'another ModHeader profile has the same title'}).`,
      );
    const candidate: ModHeaderCandidate = { name, key: found.enabled[0] ?? '', authMode: 'header' };
    const shortTitle = own(raw, 'shortTitle');
    if (typeof shortTitle === 'string' && shortTitle.trim()) {
      candidate.badgeText = fitBadge(shortTitle.trim());
      if (candidate.badgeText !== shortTitle.trim())
        notes.push(`Badge text shortened to “${candidate.badgeText}” (at most ${MAX_BADGE_LENGTH} characters).`);
    }
    const colour = hexColour(own(raw, 'backgroundColor'));
    if (colour) candidate.color = colour;
    else if (own(raw, 'backgroundColor') !== undefined)
      notes.push('Its colour is not a #rrggbb colour, so a default badge colour is used.');
    const filters = [own(raw, 'urlFilters'), own(raw, 'filters'), own(raw, 'excludeUrlFilters')].some(
      (f) => Array.isArray(f) && f.length > 0,
    );
    if (filters)
      notes.push(
        'Its URL filters are not imported: this extension sends the key only to https://api.os.uk, from the sites you allow.',
      );
    if (Array.isArray(own(raw, 'respHeaders')) && (own(raw, 'respHeaders') as unknown[]).length > 0)
      notes.push('Its response headers are not imported.');
    if (headersOtherThanKey(Array.isArray(headers) ? headers : []))
      notes.push('Only its key header is imported; its other request headers are not.');
    return { position, title, candidate, notes };
  });
  return { ok: true, profiles };
}

/** Whether the profile also sends enabled request headers other than `key`. */
function headersOtherThanKey(headers: unknown[]): boolean {
  return headers.some((h) => {
    if (!isObject(h) || own(h, 'enabled') === false) return false;
    const name = own(h, 'name');
    return typeof name === 'string' && name.trim() !== '' && name.trim().toLowerCase() !== 'key';
  });
}
