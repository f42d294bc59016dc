/**
 * "Export and import" (on the options page, under Settings): save the projects to a JSON file (keys and secrets only when the user
 * ticks the box), and import such a file, or a ModHeader profile export, after a preview. The
 * background makes the file and checks the import (docs/export-format.md); nothing is saved until
 * the user confirms, and a refused import changes nothing.
 */
import { useRef, useState } from 'preact/hooks';
import type { ImportPreview } from '../core/import-projects';
import { MAX_IMPORT_BYTES } from '../core/import-limits';
import { MessageFailure } from '../lib/messaging';
import { ActionMessages, messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';
import { downloadText } from './download-file';
import { ImportPreviewView, plural, previewedPlan } from './import-preview-view';

interface Props {
  client: KeyringClient;
  /** How many projects are saved: with none there is nothing to export. */
  projectCount: number;
}

interface Pending {
  fileName: string;
  text: string;
  preview: ImportPreview;
}

export function BackupPanel({ client, projectCount }: Props) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  // Only the newest file chosen may show its preview (an older one can answer late).
  const generation = useRef(0);

  async function exportFile() {
    setError(null);
    setStatus('');
    setBusy(true);
    try {
      const { fileName, text } = await client.send('exportProjects', { includeSecrets });
      downloadText(fileName, text);
      setStatus(
        `Exported ${plural(projectCount, 'project')} to ${fileName}.${includeSecrets ? ' The file contains keys and secrets: keep it private.' : ''}`,
      );
    } catch (err) {
      setError(`Could not export: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  }

  function clearFileField() {
    if (fileInput.current) fileInput.current.value = '';
  }

  function resetFile(focus: boolean) {
    generation.current++;
    setPending(null);
    clearFileField();
    if (focus) fileInput.current?.focus();
  }

  async function chooseFile(file: File | undefined) {
    const mine = ++generation.current;
    setError(null);
    setStatus('');
    setPending(null);
    if (!file) return;
    // Refused before it is read: no export is anywhere near this size.
    if (file.size > MAX_IMPORT_BYTES) {
      clearFileField();
      setError(`“${file.name}” is larger than 1 MiB, so it is not an OS API Keyring export. Nothing was read.`);
      return;
    }
    setBusy(true);
    try {
      const text = await file.text();
      // The preview names the file; an empty field lets the same file be chosen again after fixing it.
      clearFileField();
      const preview = await client.send('previewImport', { text });
      if (mine === generation.current) setPending({ fileName: file.name, text, preview });
    } catch (err) {
      if (mine === generation.current) setError(`Could not read “${file.name}”: ${messageOf(err)}`);
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  }

  async function confirmImport(p: Pending) {
    setError(null);
    setStatus('');
    setBusy(true);
    const mine = generation.current;
    const previewed = previewedPlan(p.preview);
    try {
      const { added, updated, skipped } = await client.send('applyImport', { text: p.text, previewed });
      // Unless another file was chosen meanwhile, the preview is done with.
      if (mine === generation.current) resetFile(true);
      setStatus(`Added ${added}, updated ${updated}, skipped ${skipped}.`);
    } catch (err) {
      setError(messageOf(err));
      // The projects changed since the preview: show what importing would do now.
      if (err instanceof MessageFailure && err.detail.code === 'conflict' && mine === generation.current) {
        try {
          const preview = await client.send('previewImport', { text: p.text });
          if (mine === generation.current) setPending({ ...p, preview });
        } catch {
          if (mine === generation.current) setPending(null);
        }
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="backup">
      <summary>Export and import</summary>

      <div class="choice">
        <input
          type="checkbox"
          id="export-secrets"
          checked={includeSecrets}
          aria-describedby={includeSecrets ? 'export-secrets-warning' : 'export-hint'}
          onChange={(e) => setIncludeSecrets(e.currentTarget.checked)}
        />{' '}
        <label for="export-secrets">Include keys and secrets</label>
      </div>
      {includeSecrets ? (
        <p class="hint warning" id="export-secrets-warning">
          The file will contain your API keys and secrets in plain text. Anyone who has it can use your OS Data Hub
          projects: keep it private, and do not share it, commit it or attach it to a ticket.
        </p>
      ) : (
        <p class="hint" id="export-hint">
          {projectCount === 0
            ? 'There are no projects to export yet.'
            : 'Without keys and secrets the file holds names and settings only, so it can be shared with a team.'}
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          disabled={busy || projectCount === 0}
          aria-describedby={includeSecrets ? 'export-secrets-warning' : 'export-hint'}
          onClick={() => void exportFile()}
        >
          Export projects
        </button>
      </div>

      <div class="field">
        <label for="import-file">Import file</label>
        <input
          ref={fileInput}
          id="import-file"
          type="file"
          accept=".json,application/json"
          aria-describedby="import-hint"
          onChange={(e) => void chooseFile(e.currentTarget.files?.[0])}
        />
        <p class="hint" id="import-hint">
          An OS API Keyring export or a ModHeader profile export. You see what will change before anything is saved.
        </p>
      </div>

      {pending && (
        <ImportPreviewView
          fileName={pending.fileName}
          preview={pending.preview}
          busy={busy}
          onConfirm={() => void confirmImport(pending)}
          onCancel={() => {
            setError(null);
            resetFile(true);
          }}
        />
      )}
      <ActionMessages error={error} status={status} />
    </details>
  );
}
