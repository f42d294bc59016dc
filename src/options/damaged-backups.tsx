/**
 * "Backups of damaged data" (options page, Settings): the copies "Start again" kept of a damaged
 * keyring. A copy may hold keys in plain text unless it is sealed with the passphrase lock
 * (core/sealed-backup.ts), so each one is listed with when, how big and whether it is sealed, and
 * can be deleted for good, after a confirmation. Their content never leaves the background.
 */
import { useState } from 'preact/hooks';
import type { ImportPreview } from '../core/import-projects';
import type { BackupInfo } from '../core/sealed-backup';
import { ActionMessages, messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';
import { ImportPreviewView, previewedPlan } from './import-preview-view';

/** "2 Dec 2026, 16:57:11": the backup's name in the list and in its buttons' accessible names. */
export function backupDateText(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

export function DamagedBackups({
  client,
  backups,
  onChanged,
}: {
  client: KeyringClient;
  backups: readonly BackupInfo[];
  onChanged: () => unknown;
}) {
  const [asking, setAsking] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  /** The backup whose projects are being recovered, and what importing them would do. */
  const [recovering, setRecovering] = useState<{ savedAt: number; preview: ImportPreview } | null>(null);

  async function previewRecovery(savedAt: number) {
    setBusy(true);
    setError(null);
    setStatus(null);
    setRecovering(null);
    try {
      setRecovering({ savedAt, preview: await client.send('previewBackupImport', { savedAt }) });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function recover({ savedAt, preview }: { savedAt: number; preview: ImportPreview }) {
    setBusy(true);
    setError(null);
    try {
      const { added, updated, skipped } = await client.send('applyBackupImport', {
        savedAt,
        previewed: previewedPlan(preview),
      });
      setRecovering(null);
      setStatus(
        `Recovered from the backup from ${backupDateText(savedAt)}: added ${added}, updated ${updated}, skipped ${skipped}.`,
      );
      await onChanged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove(savedAt: number) {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await client.send('deleteBackup', { savedAt });
      // A preview of a backup that is gone can no longer be imported.
      if (recovering?.savedAt === savedAt) setRecovering(null);
      setStatus(`Backup from ${backupDateText(savedAt)} deleted.`);
      setAsking(null);
      await onChanged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="damaged-backups-title" class="page">
      <h2 id="damaged-backups-title">Backups of damaged data</h2>
      <p class="hint">
        Copies kept by “Start again” when the saved data was damaged. A copy that is not sealed may hold keys and
        secrets in plain text; turning the lock on seals or deletes such copies, and copies made while the lock is on
        are sealed. “Recover projects” imports a copy's projects, keys included, after a preview.
      </p>
      {backups.length === 0 ? (
        <p class="empty">No backups of damaged data.</p>
      ) : (
        <table aria-labelledby="damaged-backups-title">
          <thead>
            <tr>
              <th scope="col">Saved</th>
              <th scope="col">Size</th>
              <th scope="col">Keys</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => {
              const when = backupDateText(b.savedAt);
              return (
                <tr key={b.savedAt}>
                  <td>{when}</td>
                  <td>{sizeText(b.bytes)}</td>
                  <td>{b.sealed ? 'Sealed with the lock' : 'Plain text'}</td>
                  <td>
                    {asking === b.savedAt ? (
                      <span role="group" aria-label={`Delete backup from ${when} for good?`}>
                        <button type="button" class="danger" disabled={busy} onClick={() => void remove(b.savedAt)}>
                          {`Confirm delete backup from ${when}`}
                        </button>{' '}
                        <button type="button" onClick={() => setAsking(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <>
                        <button
                          type="button"
                          aria-label={`Recover projects from backup from ${when}`}
                          disabled={busy}
                          onClick={() => void previewRecovery(b.savedAt)}
                        >
                          Recover projects
                        </button>{' '}
                        <button
                          type="button"
                          aria-label={`Delete backup from ${when}`}
                          onClick={() => setAsking(b.savedAt)}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {recovering && (
        <ImportPreviewView
          fileName={`backup from ${backupDateText(recovering.savedAt)}`}
          sourceText="A backup of damaged data"
          headingId="recover-preview-heading"
          preview={recovering.preview}
          busy={busy}
          onConfirm={() => void recover(recovering)}
          onCancel={() => setRecovering(null)}
        />
      )}
      <ActionMessages error={error} status={status} />
    </section>
  );
}
