/**
 * Versioned migrations of the stored state. Each step takes the previous version's document and
 * returns the next one; the runner applies them in order up to the current version, and stops with
 * an error (leaving the stored data untouched) if a step fails or the data is from the future.
 */
import { CURRENT_SCHEMA_VERSION, type KeyringState } from './project';
import { parseCurrentState } from './state-schema';

export interface Migration {
  /** Version this step reads. */
  from: number;
  /** What changed, for the record. */
  description: string;
  /** Returns the document at version `from + 1`; throws with a plain message if it cannot. */
  run(doc: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The migration list. Version 0 means "nothing stored yet" (a fresh install): it becomes an empty
 * version-1 state. Later versions add steps here, each with fixtures in migrations.test.ts.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    description: 'fresh install: create an empty state (the later steps bring it up to date)',
    run: () => ({ projects: [], activeProjectId: null, nextRuleSlot: 0 }),
  },
  {
    from: 1,
    description: 'each project gains its plan (Development unless known) and when its key was last changed',
    run: (doc) => {
      if (!Array.isArray(doc.projects)) throw new Error('the project list is missing');
      return {
        ...doc,
        projects: doc.projects.map((p: unknown, i: number) => {
          if (!p || typeof p !== 'object') throw new Error(`project ${i + 1} is not an object`);
          const project = p as Record<string, unknown>;
          return {
            ...project,
            plan: 'dev',
            keyChangedAt: typeof project.createdAt === 'number' ? project.createdAt : 0,
          };
        }),
      };
    },
  },
  {
    from: 2,
    description: 'sites other than the local ones can be allowed; none are at first',
    run: (doc) => ({ ...doc, allowedSites: [] }),
  },
  {
    from: 3,
    description: 'an optional passphrase lock on keys and secrets; off at first',
    run: (doc) => ({ ...doc, lock: null }),
  },
  {
    from: 4,
    description: "each project's `plan` (dev/live) is renamed `mode`, OS's word for it; the value is kept as it was",
    run: (doc) => {
      // A damaged list is left as it is, for validation to name the fault.
      if (!Array.isArray(doc.projects)) return doc;
      return {
        ...doc,
        projects: doc.projects.map((p: unknown, i: number) => {
          if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error(`project ${i + 1} is not an object`);
          // Every other field, including an unexpected one, is carried over untouched; validation
          // after the last step decides whether the result is sound (nothing is written if not).
          const { plan, ...rest } = p as Record<string, unknown>;
          return { ...rest, mode: plan };
        }),
      };
    },
  },
];

export type LoadResult =
  | { ok: true; state: KeyringState; migratedFrom: number | null }
  | { ok: false; error: string; foundVersion: number | null };

function versionOf(raw: unknown): number | null {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw !== 'object' || Array.isArray(raw)) return null;
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : null;
}

/**
 * Bring whatever is stored up to the current version and validate it.
 * `migratedFrom` is set when the caller must write the result back.
 */
export function loadState(
  raw: unknown,
  {
    migrations = MIGRATIONS,
    currentVersion = CURRENT_SCHEMA_VERSION,
    validate = parseCurrentState,
  }: {
    migrations?: readonly Migration[];
    currentVersion?: number;
    validate?: (doc: unknown) => { ok: true; state: KeyringState } | { ok: false; error: string };
  } = {},
): LoadResult {
  const found = versionOf(raw);
  if (found === null) {
    return { ok: false, error: 'The saved data has no valid schema version.', foundVersion: null };
  }
  if (found > currentVersion) {
    return {
      ok: false,
      error: `The saved data is from a newer version of OS API Keyring (schema ${found}; this version reads up to ${currentVersion}). Update the extension; nothing was changed.`,
      foundVersion: found,
    };
  }
  let doc = (raw ?? {}) as Record<string, unknown>;
  for (let version = found; version < currentVersion; version++) {
    const step = migrations.find((m) => m.from === version);
    if (!step) return { ok: false, error: `No migration from schema ${version}.`, foundVersion: found };
    try {
      doc = { ...step.run(structuredClone(doc)), schemaVersion: version + 1 };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        error: `Upgrading saved data from schema ${version} failed: ${why}. The old data is kept unchanged.`,
        foundVersion: found,
      };
    }
  }
  const parsed = validate(doc);
  if (!parsed.ok) {
    return {
      ok: false,
      error: `The saved data is damaged (${parsed.error}). Nothing was changed or overwritten.`,
      foundVersion: found,
    };
  }
  return { ok: true, state: parsed.state, migratedFrom: found === currentVersion ? null : found };
}
