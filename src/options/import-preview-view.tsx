/**
 * What importing a file would do, shown before anything is saved: whole-file errors (nothing can
 * be imported), then each entry with its name, its action (Add / Update / Skip) and why. The
 * preview comes from the background without keys or secrets (`previewForDisplay`).
 */
import type { ImportPreview } from '../core/import-projects';
import type { ImportPlanEntry } from '../core/messages';

interface Props {
  fileName: string;
  preview: ImportPreview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** What the entries come from, when not a file (e.g. "A backup of damaged data"). */
  sourceText?: string;
  /** The heading's id: two previews (a file's and a backup's) may be on the page at once. */
  headingId?: string;
}

const ACTION_LABELS = { add: 'Add', update: 'Update', skip: 'Skip' } as const;

const SOURCE_LABELS: Record<NonNullable<ImportPreview['source']>, string> = {
  'os-api-keyring': 'An OS API Keyring export',
  modheader: 'A ModHeader profile export',
};

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the user confirmed, sent back with the import so that nothing is imported if the projects changed since. */
export function previewedPlan(preview: ImportPreview): ImportPlanEntry[] {
  return preview.entries.map((e) => ({ action: e.action, ...(e.target ? { target: e.target } : {}) }));
}

/** How many entries would be added or updated (the number on the Import button). */
export function importCount(preview: ImportPreview): number {
  return preview.fileErrors.length ? 0 : preview.entries.filter((e) => e.action !== 'skip').length;
}

export function ImportPreviewView({
  fileName,
  preview,
  busy,
  onConfirm,
  onCancel,
  sourceText,
  headingId = 'import-preview-heading',
}: Props) {
  const count = importCount(preview);
  const tally = (action: keyof typeof ACTION_LABELS) => preview.entries.filter((e) => e.action === action).length;

  return (
    <section class="import-preview" aria-labelledby={headingId}>
      <h3 id={headingId}>
        Preview of <span class="mono">{fileName}</span>
      </h3>
      {preview.fileErrors.length > 0 ? (
        <div role="alert" class="alert">
          <p>Nothing can be imported from this file:</p>
          <ul>
            {preview.fileErrors.map((message, i) => (
              <li key={i}>{message}</li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <p>
            {sourceText ? `${sourceText}: ` : preview.source ? `${SOURCE_LABELS[preview.source]}: ` : ''}
            {tally('add')} to add, {tally('update')} to update, {tally('skip')} to skip. Nothing is saved until you
            choose Import.
          </p>
          <ul class="import-entries" aria-label="Projects in the file">
            {preview.entries.map((entry) => (
              <li key={entry.position} class={`import-entry import-${entry.action}`}>
                <span class="import-entry-name">{entry.name}</span>
                {': '}
                <strong class="import-action">{ACTION_LABELS[entry.action]}</strong>
                {(entry.problems.length > 0 || entry.notes.length > 0) && (
                  <ul>
                    {entry.problems.map((problem, i) => (
                      <li key={`p${i}`} class="field-error">
                        {problem}
                      </li>
                    ))}
                    {entry.notes.map((note, i) => (
                      <li key={`n${i}`} class="hint">
                        {note}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          {count === 0 && <p>Nothing in this file can be imported.</p>}
        </>
      )}
      <div class="actions">
        {count > 0 && (
          <button type="button" class="primary" disabled={busy} onClick={onConfirm}>
            Import {plural(count, 'project')}
          </button>
        )}
        <button type="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
