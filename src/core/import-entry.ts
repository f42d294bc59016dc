/**
 * Checking one entry of an import file (ours or a mapped ModHeader profile) against the saved
 * projects. Decides add / update / skip and says why in plain words, never echoing a key or
 * secret. The rules (documented in docs/export-format.md):
 * - a name that matches a saved project (ignoring case) updates that project; the saved name is
 *   kept, and a key or secret the file lacks keeps the saved one (nothing saved is ever erased);
 * - a new name needs a key in the file, since a project cannot exist without one;
 * - the first of several entries with the same name wins; later ones are skipped;
 * - cosmetic fields (badge text, colour) that are invalid are replaced by defaults with a note,
 *   while anything that decides where or how a credential travels must be valid or the entry is skipped.
 */
import { AUTH_MODES, PROJECT_MODES, type AuthMode, type KeyringState, type Project, type ProjectMode } from './project';
import {
  checkApiKey,
  checkApiSecret,
  deriveBadgeText,
  MAX_BADGE_LENGTH,
  validateProjectInput,
} from './validate-project';

/** What an entry will do. `null` fields are not in the file: a new project gets the default, an update keeps the saved value. */
export interface ImportValues {
  name: string;
  key: string | null;
  secret: string | null;
  authMode: AuthMode;
  mode: ProjectMode | null;
  badgeText: string | null;
  color: string | null;
}

/** One entry of the preview. Holds the file's key and secret in `values`: see `previewForDisplay`. */
export interface ImportEntry {
  /** 1-based position in the file. */
  position: number;
  /** The name it will be saved under (for an update, the saved project's name), or "Entry N". */
  name: string;
  action: 'add' | 'update' | 'skip';
  /** Why the entry is skipped: non-empty exactly when `action` is 'skip'. */
  problems: string[];
  /** Remarks that do not stop the entry: what will change, what was adjusted or left out. */
  notes: string[];
  /** For an update: the saved project and the revision previewed, so an edit made since is not overwritten. */
  target?: { id: string; revision: number };
  values?: ImportValues;
}

type Obj = Record<string, unknown>;
const own = (obj: Obj, name: string): unknown => (Object.hasOwn(obj, name) ? obj[name] : undefined);
/**
 * Badge text cut to what the stored-state schema accepts: at most 4 UTF-16 code units, never half
 * a character. The form counts characters, and `deriveBadgeText` upper-cases after cutting ("ß" →
 * "SS"), so either can exceed the schema; an import must never save a state that fails to load.
 */
export function fitBadge(text: string): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > MAX_BADGE_LENGTH) break;
    out += ch;
  }
  return out;
}

const FIELD_LABELS = {
  key: 'the key',
  secret: 'the secret',
  authMode: 'the authentication',
  mode: 'the mode',
  badgeText: 'the badge text',
  color: 'the colour',
} as const;

/**
 * Check entry `position` of a file. `seen` maps lower-cased names of earlier entries to their
 * positions, and is updated. `notes` are carried in from the ModHeader mapping.
 */
export function checkEntry(
  raw: unknown,
  position: number,
  state: KeyringState,
  seen: Map<string, number>,
  notes: string[] = [],
): ImportEntry {
  const fallbackName = `Entry ${position}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      position,
      name: fallbackName,
      action: 'skip',
      problems: ['This entry is not a project (expected an object with a name and settings).'],
      notes,
    };
  }
  const obj = raw as Obj;
  const problems: string[] = [];
  const rawName = own(obj, 'name');
  const fileName = typeof rawName === 'string' ? rawName.trim() : '';
  if (!fileName) problems.push('This entry has no name.');

  const authMode = own(obj, 'authMode');
  if (!AUTH_MODES.includes(authMode as AuthMode))
    problems.push(
      `Unknown authentication${typeof authMode === 'string' ? ` “${authMode.slice(0, 20)}”` : ''}: expected "header", "query" or "oauth".`,
    );
  // `mode` since schema 5; files exported before it call the same value `plan`.
  const modeField = own(obj, 'mode') !== undefined ? 'mode' : 'plan';
  const rawMode = own(obj, modeField);
  if (rawMode !== undefined && !PROJECT_MODES.includes(rawMode as ProjectMode))
    problems.push(`Unknown ${modeField}: expected "dev" or "live".`);

  const key = secretField(own(obj, 'key'), 'key', problems);
  const secret = secretField(own(obj, 'secret'), 'secret', problems);
  const badgeText = cosmeticBadge(own(obj, 'badgeText'), notes);
  const color = cosmeticColour(own(obj, 'color'), notes);

  const lower = fileName.toLocaleLowerCase();
  const earlier = fileName ? seen.get(lower) : undefined;
  if (earlier !== undefined)
    problems.push(`Entry ${earlier} in this file has the same name; only the first of them is considered.`);
  else if (fileName) seen.set(lower, position);

  const target = fileName ? state.projects.find((p) => p.name.toLocaleLowerCase() === lower) : undefined;
  const values: ImportValues = {
    name: target?.name ?? fileName,
    key,
    secret,
    authMode: authMode as AuthMode,
    mode: (rawMode ?? null) as ProjectMode | null,
    // A new project without badge text gets one from its name now, cut to fit (see fitBadge).
    badgeText: badgeText ?? (target ? null : fitBadge(deriveBadgeText(fileName)) || null),
    color,
  };
  const name = values.name || fallbackName;
  if (problems.length) return { position, name, action: 'skip', problems, notes };

  if (!target && key === null)
    problems.push(
      'The file has no key for this project (it was exported without keys and secrets), so it cannot be added. Add it by hand.',
    );
  const finalKey = key ?? target?.key ?? '';
  const finalSecret = secret ?? target?.secret ?? '';
  if (key !== null || target) {
    // The same rules as the project form, so an import can never save what the form would refuse.
    const checked = validateProjectInput(
      {
        id: target?.id,
        name: values.name,
        key: finalKey,
        secret: finalSecret,
        authMode: values.authMode,
        mode: values.mode ?? target?.mode,
        badgeText: values.badgeText ?? target?.badgeText,
        color: color ?? target?.color,
      },
      state,
    );
    if (!checked.ok)
      problems.push(
        ...checked.errors.map((e) =>
          e.field === 'secret' && !finalSecret
            ? `${e.message} Neither the file nor the saved project has one.`
            : e.message,
        ),
      );
  }
  if (problems.length) return { position, name, action: 'skip', problems, notes };
  if (!target) return { position, name, action: 'add', problems, notes, values };

  const changed = changedFields(target, values);
  if (changed.length === 0)
    return {
      position,
      name,
      action: 'skip',
      problems: ['Already saved with these settings: nothing to change.'],
      notes,
    };
  const updateNotes = [
    ...notes,
    `Updates the saved project: changes ${changed.map((f) => FIELD_LABELS[f]).join(', ')}.`,
  ];
  if (key === null) updateNotes.push('Keeps the saved key and secret (the file has none).');
  else if (secret === null && target.secret) updateNotes.push('Keeps the saved secret (the file has none).');
  return {
    position,
    name,
    action: 'update',
    problems,
    notes: updateNotes,
    target: { id: target.id, revision: target.revision },
    values,
  };
}

/** A key or secret from the file: null when absent; checked when present. Messages never include the value. */
function secretField(value: unknown, field: 'key' | 'secret', problems: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push(`The ${field === 'key' ? 'API key' : 'API secret'} is not text.`);
    return null;
  }
  if (!value.trim()) return null;
  const checked = field === 'key' ? checkApiKey(value) : checkApiSecret(value, false);
  if ('error' in checked) {
    problems.push(checked.error);
    return null;
  }
  return 'key' in checked ? checked.key : checked.secret;
}

function cosmeticBadge(value: unknown, notes: string[]): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value.trim() : '';
  if (typeof value === 'string' && fitBadge(text) === text) return text || null;
  notes.push(`The badge text is not up to ${MAX_BADGE_LENGTH} characters of text, so one is made from the name.`);
  return null;
}

function cosmeticColour(value: unknown, notes: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value.trim())) return value.trim().toLowerCase();
  notes.push('The colour is not a #rrggbb colour, so a default badge colour is used.');
  return null;
}

/**
 * What an update leaves on `target`: the file's value where it has one, the saved one otherwise.
 * The preview's "changes" and applyImport's saved input both come from here, so they cannot differ.
 */
export function updatedFields(target: Project, v: ImportValues) {
  return {
    key: v.key ?? target.key,
    secret: v.secret ?? target.secret,
    authMode: v.authMode,
    mode: v.mode ?? target.mode,
    badgeText: v.badgeText ?? target.badgeText,
    color: v.color ?? target.color,
  };
}

/** Which fields an update would change on `target`. The name never changes (it is how the match was made). */
function changedFields(target: Project, v: ImportValues): (keyof typeof FIELD_LABELS)[] {
  const next = updatedFields(target, v);
  // Badge text compares trimmed: the form trims what it saves, but a badge derived from a name can keep a trailing space.
  return (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).filter((f) =>
    f === 'badgeText' ? next[f].trim() !== target[f].trim() : next[f] !== target[f],
  );
}
