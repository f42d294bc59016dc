/**
 * Validation of what the user types into the project form. Returns every problem with the field
 * it belongs to and a message that says what is wrong and what to do, never a bare "invalid".
 */
import {
  AUTH_MODES,
  PROJECT_COLOURS,
  PROJECT_MODES,
  type AuthMode,
  type KeyringState,
  type ProjectMode,
} from './project';

/**
 * What the form (or an import) submits. `id`/`revision` are set when editing; then a blank key
 * or secret keeps the saved one (see saveProject).
 */
export interface ProjectInput {
  id?: string;
  revision?: number;
  name: string;
  key: string;
  secret: string;
  authMode: AuthMode;
  /** Defaults to Development. */
  mode?: ProjectMode;
  badgeText?: string;
  color?: string;
}

export type ProjectField = 'name' | 'key' | 'secret' | 'authMode' | 'mode' | 'badgeText' | 'color' | 'form';

export interface FieldError {
  field: ProjectField;
  message: string;
}

/** The cleaned-up values of a valid input. */
export interface ValidProjectInput {
  name: string;
  key: string;
  secret: string;
  authMode: AuthMode;
  mode: ProjectMode;
  badgeText: string;
  color: string;
}

export const MAX_NAME_LENGTH = 60;
export const MAX_KEY_LENGTH = 256;
export const MAX_BADGE_LENGTH = 4;

const SPACE_NAMES: Record<string, string> = {
  ' ': 'a space',
  '\t': 'a tab',
  '\n': 'a line break',
  '\r': 'a line break',
  '\u00a0': 'a non-breaking space',
};

/** Describe one character for a message: spaces by name, others quoted with their code. */
function describeChar(ch: string): string {
  const named = SPACE_NAMES[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f)
    return `an invisible control character (U+${code.toString(16).padStart(4, '0').toUpperCase()})`;
  if (code > 0x7e) return `“${ch}”, a non-ASCII character`;
  return `“${ch}”`;
}

/**
 * Check an API key. OS keys are letters and digits; we accept the URL-unreserved set
 * (A–Z a–z 0–9 - . _ ~) because those travel unchanged both in a header and in a query string.
 */
export function checkApiKey(raw: string): { key: string } | { error: string } {
  const key = raw.trim();
  if (!key) return { error: 'Enter the API key from your OS Data Hub project.' };
  if (key.length > MAX_KEY_LENGTH)
    return {
      error: `The API key is ${key.length} characters long; OS keys are much shorter (at most ${MAX_KEY_LENGTH} accepted). Check that you pasted only the key.`,
    };
  const chars = Array.from(key);
  const bad = chars.findIndex((ch) => !/^[A-Za-z0-9._~-]$/.test(ch));
  if (bad >= 0) {
    const ch = chars[bad] ?? '';
    const where = `character ${bad + 1}`;
    if (/\s/.test(ch))
      return {
        error: `The API key contains ${describeChar(ch)} (${where}). Copy the key again without spaces or line breaks.`,
      };
    return {
      error: `The API key contains ${describeChar(ch)} (${where}), which cannot travel unchanged in a request header or URL. OS API keys use only letters and digits.`,
    };
  }
  return { key };
}

/** Check an API secret (optional for key modes). It is sent base64-encoded, so printable ASCII is allowed. */
export function checkApiSecret(raw: string, required: boolean): { secret: string } | { error: string } {
  const secret = raw.trim();
  if (!secret)
    return required ? { error: 'OAuth 2 needs the project’s API secret as well as its key.' } : { secret: '' };
  if (secret.length > MAX_KEY_LENGTH)
    return { error: `The API secret is ${secret.length} characters long; check that you pasted only the secret.` };
  const chars = Array.from(secret);
  const bad = chars.findIndex((ch) => !/^[\x21-\x7e]$/.test(ch));
  if (bad >= 0) {
    return {
      error: `The API secret contains ${describeChar(chars[bad] ?? '')} (character ${bad + 1}). Copy the secret again without spaces or line breaks.`,
    };
  }
  return { secret };
}

/** A short badge label from a project name: initials of several words, else the first letters. */
export function deriveBadgeText(name: string): string {
  // Upper-case before cutting: some letters grow ("ß" → "SS"), and the cut must be last.
  const words = name
    .trim()
    .toUpperCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length >= 2)
    return Array.from(
      words
        .slice(0, MAX_BADGE_LENGTH)
        .map((w) => Array.from(w)[0] ?? '')
        .join(''),
    )
      .slice(0, MAX_BADGE_LENGTH)
      .join('');
  return Array.from(words[0] ?? name.trim().toUpperCase())
    .slice(0, MAX_BADGE_LENGTH)
    .join('')
    .trim();
}

/** Pick a default colour for the project that gets `slot`. */
export function defaultColour(slot: number): string {
  return PROJECT_COLOURS[slot % PROJECT_COLOURS.length] ?? PROJECT_COLOURS[0];
}

/**
 * Validate a form submission against the saved state (names must be unique).
 * Returns the cleaned values, or every field error found.
 */
export function validateProjectInput(
  input: ProjectInput,
  state: KeyringState,
): { ok: true; value: ValidProjectInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = (typeof input.name === 'string' ? input.name : '').trim();
  if (!name) errors.push({ field: 'name', message: 'Enter a name for the project.' });
  else if (Array.from(name).length > MAX_NAME_LENGTH)
    errors.push({
      field: 'name',
      message: `Keep the name to ${MAX_NAME_LENGTH} characters or fewer (it has ${Array.from(name).length}).`,
    });
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
  else if (/[\u0000-\u001f\u007f]/.test(name))
    errors.push({ field: 'name', message: 'The name contains an invisible control character; type it again.' });
  else if (state.projects.some((p) => p.id !== input.id && p.name.toLocaleLowerCase() === name.toLocaleLowerCase())) {
    errors.push({ field: 'name', message: `A project called “${name}” already exists. Choose another name.` });
  }

  const authMode = input.authMode;
  if (!AUTH_MODES.includes(authMode)) {
    errors.push({
      field: 'authMode',
      message: 'Choose how the credential is sent: Key header, Key query parameter or OAuth 2 bearer token.',
    });
  }

  const mode = input.mode ?? 'dev';
  if (!PROJECT_MODES.includes(mode))
    errors.push({ field: 'mode', message: 'Choose the project’s mode: Development or Live.' });

  const keyCheck = checkApiKey(typeof input.key === 'string' ? input.key : '');
  if ('error' in keyCheck) errors.push({ field: 'key', message: keyCheck.error });
  const secretCheck = checkApiSecret(typeof input.secret === 'string' ? input.secret : '', authMode === 'oauth');
  if ('error' in secretCheck) errors.push({ field: 'secret', message: secretCheck.error });

  let badgeText = (input.badgeText ?? '').trim();
  if (!badgeText) badgeText = deriveBadgeText(name);
  else if (Array.from(badgeText).length > MAX_BADGE_LENGTH)
    errors.push({
      field: 'badgeText',
      message: `Badge text can be at most ${MAX_BADGE_LENGTH} characters (the toolbar shows no more).`,
    });

  const color = (input.color ?? '').trim().toLowerCase();
  if (color && !/^#[0-9a-f]{6}$/.test(color))
    errors.push({ field: 'color', message: 'Badge colour must be a colour like #1d70b8.' });

  if (errors.length || 'error' in keyCheck || 'error' in secretCheck) return { ok: false, errors };
  return { ok: true, value: { name, key: keyCheck.key, secret: secretCheck.secret, authMode, mode, badgeText, color } };
}
