/**
 * "Recover projects" from a backup of damaged data (options page, Settings): the damaged
 * document's projects as an export file's text, so that the import's preview, checks and
 * all-or-nothing apply (core/import-projects.ts) serve it unchanged. Fields are read one by one,
 * whatever the document's schema version was; the import check refuses what is wrong, entry by
 * entry, with its usual reasons.
 */
import { EXPORT_FORMAT, EXPORT_VERSION } from './export-format';
import type { ProjectSecrets } from './secret-box';

/**
 * The projects of `document` as import text, or null when it holds no project list. `secrets`
 * (by project id) fill keys and secrets left blank: a copy made while locked keeps them sealed in
 * its own lock.
 */
export function backupImportText(document: unknown, secrets: ProjectSecrets = {}): string | null {
  const projects: unknown =
    typeof document === 'object' && document !== null ? (document as { projects?: unknown }).projects : undefined;
  if (!Array.isArray(projects) || projects.length === 0) return null;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    projects: projects.map((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null) return raw;
      const p = raw as Record<string, unknown>;
      const sealed = typeof p.id === 'string' && Object.hasOwn(secrets, p.id) ? secrets[p.id] : undefined;
      const key = text(p.key) ?? text(sealed?.key);
      const secret = text(p.secret) ?? text(sealed?.secret);
      // Copied field by field (never spread), as the export does: internal fields stay out.
      return {
        name: p.name,
        authMode: p.authMode,
        mode: p.mode ?? p.plan,
        badgeText: p.badgeText,
        color: p.color,
        ...(key === undefined ? {} : { key }),
        ...(secret === undefined ? {} : { secret }),
      };
    }),
  });
}
