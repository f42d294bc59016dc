/**
 * Importing projects: `parseImport` reads a file (our export format or a ModHeader export) into a
 * preview of what would change, and `applyImport` applies the valid entries in one new state.
 * Nothing is saved until the user has seen the preview, and a refused import changes nothing.
 */
import { EXPORT_FORMAT, EXPORT_VERSION } from './export-format';
import { checkEntry, updatedFields, type ImportEntry } from './import-entry';
import { looksLikeModHeader, parseModHeaderExport } from './modheader-import';
import { MAX_IMPORT_BYTES, MAX_IMPORT_PROJECTS } from './import-limits';
import type { KeyringState } from './project';
import { stripSecrets } from './secret-lock';
import { parseCurrentState } from './state-schema';
import { saveProject } from './state-updates';
import type { ProjectInput } from './validate-project';

export { MAX_IMPORT_BYTES, MAX_IMPORT_PROJECTS };
export type { ImportEntry, ImportValues } from './import-entry';

export interface ImportPreview {
  /** Which format was recognised, or null when the file could not be read. */
  source: 'os-api-keyring' | 'modheader' | null;
  /** Problems with the whole file; when any is present there are no entries and nothing can be imported. */
  fileErrors: string[];
  entries: ImportEntry[];
}

const fileError = (message: string, source: ImportPreview['source'] = null): ImportPreview => ({
  source,
  fileErrors: [message],
  entries: [],
});

/**
 * The file's size in UTF-8 bytes (the limit is about the file, not its JavaScript length). The
 * platform's encoder, not a hand count: it is exact for every string, lone surrogates included
 * (each becomes U+FFFD, 3 bytes), and the `text.length` check before it keeps the input small.
 */
const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * Where JSON.parse failed, from its message. Only the position is taken: V8's messages quote the
 * text around the error, which may be a key, so the message itself is never shown.
 */
function jsonErrorWhere(text: string, message: string): string {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return ` (near line ${lineCol[1]}, column ${lineCol[2]})`;
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    return ` (near line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
  }
  return /end of (JSON )?(input|data)/i.test(message) ? ' (it ends too early: was it cut short?)' : '';
}

/**
 * Read an import file into a preview against the saved `state`. Never throws, whatever the input:
 * every problem becomes a file error or an entry problem with a plain message.
 * The preview holds the file's keys and secrets; send only `previewForDisplay` to the popup.
 */
export function parseImport(text: string, state: KeyringState): ImportPreview {
  try {
    if (typeof text !== 'string') return fileError('The file could not be read as text.');
    if (text.length > MAX_IMPORT_BYTES || utf8Length(text) > MAX_IMPORT_BYTES) {
      return fileError('The file is larger than 1 MiB, so it is not an OS API Keyring export. Nothing was read.');
    }
    const body = text.replace(/^\uFEFF/, '');
    if (!body.trim()) return fileError('The file is empty.');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (err) {
      return fileError(
        `The file is not valid JSON${jsonErrorWhere(body, err instanceof Error ? err.message : '')}. Was it edited by hand?`,
      );
    }
    if (looksLikeModHeader(json)) return modHeaderPreview(json, state);
    return keyringPreview(json, state);
  } catch {
    // Defence in depth: a bug here must show as a refused file, never as a broken popup.
    return fileError('The file could not be read.');
  }
}

function keyringPreview(json: unknown, state: KeyringState): ImportPreview {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !Object.hasOwn(json, 'format')) {
    return fileError('This file is neither an OS API Keyring export nor a ModHeader profile export.');
  }
  const doc = json as Record<string, unknown>;
  if (doc.format !== EXPORT_FORMAT)
    return fileError('This file is not an OS API Keyring export (its "format" is different).');
  const source = 'os-api-keyring';
  const version = Object.hasOwn(doc, 'version') ? doc.version : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fileError('The file has no valid format version, so it cannot be read safely.', source);
  }
  if (version > EXPORT_VERSION) {
    return fileError(
      `The file was made by a newer version of OS API Keyring (format version ${version}; this version reads version ${EXPORT_VERSION}). Update the extension, then import it again.`,
      source,
    );
  }
  const projects = Object.hasOwn(doc, 'projects') ? doc.projects : undefined;
  if (!Array.isArray(projects)) return fileError('The file has no list of projects.', source);
  if (projects.length === 0) return fileError('The file contains no projects.', source);
  if (projects.length > MAX_IMPORT_PROJECTS)
    return fileError(
      `The file has ${projects.length} projects; at most ${MAX_IMPORT_PROJECTS} can be imported at once.`,
      source,
    );
  const seen = new Map<string, number>();
  return { source, fileErrors: [], entries: projects.map((p: unknown, i) => checkEntry(p, i + 1, state, seen)) };
}

function modHeaderPreview(json: unknown, state: KeyringState): ImportPreview {
  const source = 'modheader';
  const parsed = parseModHeaderExport(json);
  if (!parsed.ok) return fileError(parsed.error, source);
  if (parsed.profiles.length === 0) return fileError('The ModHeader file contains no profiles.', source);
  if (parsed.profiles.length > MAX_IMPORT_PROJECTS)
    return fileError(
      `The file has ${parsed.profiles.length} ModHeader profiles; at most ${MAX_IMPORT_PROJECTS} can be imported at once.`,
      source,
    );
  const seen = new Map<string, number>();
  const entries = parsed.profiles.map((p): ImportEntry => {
    if (!p.candidate)
      return {
        position: p.position,
        name: p.title,
        action: 'skip',
        problems: [p.skipped ?? 'Not imported.'],
        notes: p.notes,
      };
    return checkEntry(p.candidate, p.position, state, seen, [...p.notes]);
  });
  return { source, fileErrors: [], entries };
}

/** The preview without any key or secret: what may be sent to the popup or shown. */
export function previewForDisplay(preview: ImportPreview): ImportPreview {
  return {
    ...preview,
    entries: preview.entries.map((e) => ({
      position: e.position,
      name: e.name,
      action: e.action,
      problems: e.problems,
      notes: e.notes,
      ...(e.target ? { target: e.target } : {}),
    })),
  };
}

export type ApplyImportResult =
  { ok: true; state: KeyringState; added: number; updated: number; skipped: number } | { ok: false; message: string };

/**
 * Apply the preview's 'add' and 'update' entries to `state`, all or nothing, through the same
 * `saveProject` as the form (unique names, rule slots from nextRuleSlot, revision bump,
 * keyChangedAt when the key changes). If anything changed since the preview (a project edited,
 * deleted or added elsewhere), nothing is applied and the user is asked to preview again.
 */
export function applyImport(
  state: KeyringState,
  preview: ImportPreview,
  env: {
    now: number;
    newId: () => string;
    /** The lock's minimum PBKDF2 count (tests use fewer). */
    minLockIterations?: number;
  },
): ApplyImportResult {
  if (preview.fileErrors.length) return { ok: false, message: `Nothing was imported. ${preview.fileErrors.join(' ')}` };
  let next = state;
  const counts = { added: 0, updated: 0, skipped: 0 };
  for (const entry of preview.entries) {
    const v = entry.values;
    if (entry.action === 'skip' || !v) {
      counts.skipped++;
      continue;
    }
    let input: ProjectInput;
    if (entry.action === 'update') {
      const target = next.projects.find((p) => p.id === entry.target?.id);
      if (!target || target.revision !== entry.target?.revision) {
        return {
          ok: false,
          message: `Nothing was imported: “${entry.name}” was changed or deleted after the preview. Preview the file again.`,
        };
      }
      input = { id: target.id, revision: target.revision, name: target.name, ...updatedFields(target, v) };
    } else {
      input = {
        name: v.name,
        key: v.key ?? '',
        secret: v.secret ?? '',
        authMode: v.authMode,
        mode: v.mode ?? undefined,
        badgeText: v.badgeText ?? '',
        color: v.color ?? '',
      };
    }
    const saved = saveProject(next, input, env);
    if (!saved.ok)
      return { ok: false, message: `Nothing was imported: “${entry.name}”: ${saved.message} Preview the file again.` };
    next = saved.state;
    counts[entry.action === 'add' ? 'added' : 'updated']++;
  }
  // Last line of defence: never hand back a state that would not load again (it would read as damaged).
  // With the lock on, the state here holds the keys (the caller seals them before it is stored), so
  // it is checked as it will be stored: keys and secrets blank, sealed in the lock.
  const stored = next.lock ? { ...next, projects: stripSecrets(next.projects) } : next;
  const valid = parseCurrentState(stored, env.minLockIterations ? { minIterations: env.minLockIterations } : {});
  if (!valid.ok) return { ok: false, message: `Nothing was imported: the result would not be valid (${valid.error}).` };
  return { ok: true, state: next, ...counts };
}
