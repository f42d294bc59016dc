// @vitest-environment happy-dom
/**
 * "Backups of damaged data" on the options page (Settings), and the lock's question about them:
 * each backup listed with when, size and sealed or not; Delete asks first and sends exactly that
 * backup; turning the lock on with plain backups sends the choice made (seal by default).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessageMap } from '../../../src/core/messages';
import { OptionsApp } from '../../../src/options/app';
import { backupDateText } from '../../../src/options/damaged-backups';
import { loadedAnswers, stubClient } from './fixtures';

const PLAIN = { savedAt: 1_700_000_000_000, bytes: 745, sealed: false };
const SEALED = { savedAt: 1_700_000_100_000, bytes: 2048, sealed: true };

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
  history.replaceState(null, '', location.pathname);
});
beforeEach(() => history.replaceState(null, '', '#settings'));

function open(backups = [PLAIN, SEALED]) {
  let list = [...backups];
  const stub = stubClient({
    ...loadedAnswers(),
    getState: () =>
      ({ status: 'ok', projects: [], lock: 'off', allowedSites: [] }) as unknown as MessageMap['getState']['result'],
    listBackups: () => ({ backups: list }),
    deleteBackup: (args) => {
      list = list.filter((b) => b.savedAt !== args.savedAt);
      return null;
    },
    enableLock: () => null,
    previewBackupImport: () => ({
      source: 'os-api-keyring',
      fileErrors: [],
      entries: [
        { position: 1, name: 'Old', action: 'add', problems: [], notes: [] },
        { position: 2, name: 'Broken', action: 'skip', problems: ['The API key is missing.'], notes: [] },
      ],
    }),
    applyBackupImport: () => ({ added: 1, updated: 0, skipped: 1 }),
  });
  render(<OptionsApp client={stub.client} requestNotifications={() => Promise.resolve(true)} pollMs={60_000} />);
  return stub;
}

describe('backups of damaged data', () => {
  it('lists each backup with when, size and whether it is sealed', async () => {
    open();
    const table = await screen.findByRole('table', { name: 'Backups of damaged data' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .slice(0, 3)
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      [backupDateText(PLAIN.savedAt), '745 bytes', 'Plain text'],
      [backupDateText(SEALED.savedAt), '2.0 KB', 'Sealed with the lock'],
    ]);
  });

  it("Recover projects previews the backup's projects, then imports exactly what was previewed", async () => {
    const stub = open();
    const when = backupDateText(PLAIN.savedAt);
    fireEvent.click(await screen.findByRole('button', { name: `Recover projects from backup from ${when}` }));
    const preview = await screen.findByRole('region', { name: `Preview of backup from ${when}` });
    expect(preview.textContent).toContain('A backup of damaged data: 1 to add, 0 to update, 1 to skip.');
    expect(within(preview).getByRole('list', { name: 'Projects in the file' }).textContent).toContain(
      'The API key is missing.',
    );
    expect(stub.sent('previewBackupImport')).toEqual([{ savedAt: PLAIN.savedAt }]);
    fireEvent.click(within(preview).getByRole('button', { name: 'Import 1 project' }));
    await screen.findByText(`Recovered from the backup from ${when}: added 1, updated 0, skipped 1.`);
    expect(stub.sent('applyBackupImport')).toEqual([
      { savedAt: PLAIN.savedAt, previewed: [{ action: 'add' }, { action: 'skip' }] },
    ]);
    expect(screen.queryByRole('region', { name: `Preview of backup from ${when}` })).toBeNull();
  });

  it('Delete asks first: Cancel sends nothing, Confirm deletes exactly that backup', async () => {
    const stub = open();
    const name = `Delete backup from ${backupDateText(PLAIN.savedAt)}`;
    fireEvent.click(await screen.findByRole('button', { name }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(stub.sent('deleteBackup')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name }));
    fireEvent.click(
      screen.getByRole('button', { name: `Confirm delete backup from ${backupDateText(PLAIN.savedAt)}` }),
    );
    await screen.findByText(`Backup from ${backupDateText(PLAIN.savedAt)} deleted.`);
    expect(stub.sent('deleteBackup')).toEqual([{ savedAt: PLAIN.savedAt }]);
    await waitFor(() => expect(screen.queryByRole('button', { name })).toBeNull());
    expect(screen.getByRole('button', { name: `Delete backup from ${backupDateText(SEALED.savedAt)}` })).toBeTruthy();
  });

  it('turning the lock on with a plain backup asks seal or delete, and sends the choice', async () => {
    const stub = open();
    await screen.findByRole('table', { name: 'Backups of damaged data' });
    fireEvent.click(screen.getByText('Passphrase lock'));
    fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: 'correct horse battery' } });
    fireEvent.input(screen.getByLabelText('Repeat passphrase'), { target: { value: 'correct horse battery' } });
    const group = screen.getByRole('group', { name: 'A backup of damaged data may hold keys in plain text' });
    expect(within(group).getByRole<HTMLInputElement>('radio', { name: 'Seal it with the lock' }).checked).toBe(true);
    fireEvent.click(within(group).getByRole('radio', { name: 'Delete it' }));
    fireEvent.click(screen.getByRole('button', { name: 'Turn on lock' }));
    await waitFor(() =>
      expect(stub.sent('enableLock')).toEqual([{ passphrase: 'correct horse battery', backups: 'delete' }]),
    );
  });

  it('with no plain backup the lock asks nothing and sends no choice; an empty list says so', async () => {
    const stub = open([]);
    await screen.findByText('No backups of damaged data.');
    fireEvent.click(screen.getByText('Passphrase lock'));
    expect(screen.queryByRole('group', { name: /may hold keys in plain text/ })).toBeNull();
    fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: 'correct horse battery' } });
    fireEvent.input(screen.getByLabelText('Repeat passphrase'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on lock' }));
    await waitFor(() => expect(stub.sent('enableLock')).toEqual([{ passphrase: 'correct horse battery' }]));
  });
});
