/**
 * The background's answers to the popup's export and import messages. The core does the work
 * (export-format.ts, import-projects.ts); this file only loads the state, and applies an import
 * through the same single-write `mutate` path as every other change, so a failed write changes
 * nothing. Keys and secrets never travel to the popup: a preview is sent only as
 * `previewForDisplay`, and the import text is parsed again here, against the state of the moment.
 */
import { exportFileName, exportProjects } from '../core/export-format';
import { applyImport, parseImport, previewForDisplay, type ImportPreview } from '../core/import-projects';
import type { ImportPlanEntry, MessageMap } from '../core/messages';
import type { KeyringState } from '../core/project';
import type { UpdateResult } from '../core/state-updates';
import { MessageFailure } from '../lib/messaging';
import type { BackgroundEnv } from './context';
import type { OpenedState } from './lock-session';
import { LOCKED_MESSAGE } from './lock-session';
import { backupRecoveryText } from './backup-recovery';
import type { StateStore } from './state-store';

type ImportExportMessages =
  'exportProjects' | 'previewImport' | 'applyImport' | 'previewBackupImport' | 'applyBackupImport';
type ImportExportHandlers = {
  [N in ImportExportMessages]: (args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']>;
};

export interface ImportExportDeps {
  env: Pick<BackgroundEnv, 'now' | 'newId' | 'appVersion' | 'crypto' | 'lockIterations'>;
  /** Backups of damaged data, for "Recover projects" (backup-recovery.ts). */
  store: Pick<StateStore, 'listBackups'>;
  queue: <T>(job: () => Promise<T>) => Promise<T>;
  loadOpened(): Promise<{ ok: true; opened: OpenedState } | { ok: false; error: string }>;
  mutate<T>(update: (state: KeyringState) => UpdateResult<T>, options?: { needsSecrets?: boolean }): Promise<T>;
}

/** Written into the file when the extension's version is not known (tests without a manifest). */
export const UNKNOWN_APP_VERSION = 'unknown';

/** Whether a fresh parse decides the same as the preview the user saw (same actions, same targets at the same revisions). */
export function samePlan(preview: ImportPreview, previewed: ImportPlanEntry[]): boolean {
  return (
    preview.entries.length === previewed.length &&
    preview.entries.every((e, i) => {
      const seen = previewed[i]!;
      return (
        e.action === seen.action && e.target?.id === seen.target?.id && e.target?.revision === seen.target?.revision
      );
    })
  );
}

export function createImportExportHandlers(d: ImportExportDeps): ImportExportHandlers {
  /** The state (secrets put back when unlocked). Locked: refused when `needsSecrets`. */
  async function loadOrFail(needsSecrets = false): Promise<KeyringState> {
    const loaded = await d.queue(() => d.loadOpened());
    if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
    if (needsSecrets && loaded.opened.mode === 'locked')
      throw new MessageFailure({
        code: 'locked',
        message: `${LOCKED_MESSAGE} (Exporting without keys works while locked.)`,
      });
    return loaded.opened.state;
  }

  /** Import `text` against the state of the moment, all or nothing; `previewed` is what the user confirmed. */
  function importText(text: string, previewed: ImportPlanEntry[] | undefined) {
    return d.mutate(
      (state): UpdateResult<MessageMap['applyImport']['result']> => {
        const preview = parseImport(text, state);
        if (preview.fileErrors.length)
          return { ok: false, code: 'invalid', message: `Nothing was imported. ${preview.fileErrors.join(' ')}` };
        // A project added, edited or deleted elsewhere since the preview would change what the user agreed to.
        if (previewed && !samePlan(preview, previewed)) {
          return {
            ok: false,
            code: 'conflict',
            message:
              'Your projects changed after the preview, so nothing was imported. Check the preview again, then import.',
          };
        }
        if (!preview.entries.some((e) => e.action !== 'skip'))
          return { ok: false, code: 'invalid', message: 'Nothing was imported: every entry in the file is skipped.' };
        const applied = applyImport(state, preview, {
          now: d.env.now(),
          newId: () => d.env.newId(),
          ...(d.env.lockIterations ? { minLockIterations: d.env.lockIterations } : {}),
        });
        if (!applied.ok) return { ok: false, code: 'invalid', message: applied.message };
        return {
          ok: true,
          state: applied.state,
          value: { added: applied.added, updated: applied.updated, skipped: applied.skipped },
        };
      },
      { needsSecrets: true },
    );
  }

  /** A backup of damaged data as import text, and the state it was read beside (one read). */
  async function recovery(savedAt: number): Promise<{ text: string; state: KeyringState }> {
    const loaded = await d.queue(() => d.loadOpened());
    if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
    const text = await backupRecoveryText(loaded.opened, await d.store.listBackups(), savedAt, {
      subtle: d.env.crypto.subtle,
      ...(d.env.lockIterations ? { minIterations: d.env.lockIterations } : {}),
    });
    return { text, state: loaded.opened.state };
  }

  return {
    async exportProjects({ includeSecrets }) {
      // With keys: only when unlocked (the file then holds them in plain text, as the user asked).
      const state = await loadOrFail(includeSecrets);
      if (state.projects.length === 0)
        throw new MessageFailure({ code: 'empty', message: 'There are no projects to export yet.' });
      const now = d.env.now();
      const appVersion = d.env.appVersion?.() ?? UNKNOWN_APP_VERSION;
      return {
        fileName: exportFileName(now, includeSecrets),
        text: exportProjects(state, { includeSecrets, now, appVersion }),
      };
    },

    async previewImport({ text }) {
      return previewForDisplay(parseImport(text, await loadOrFail(true)));
    },

    async applyImport({ text, previewed }) {
      return importText(text, previewed);
    },

    async previewBackupImport({ savedAt }) {
      const { text, state } = await recovery(savedAt);
      return previewForDisplay(parseImport(text, state));
    },

    async applyBackupImport({ savedAt, previewed }) {
      return importText((await recovery(savedAt)).text, previewed);
    },
  };
}
