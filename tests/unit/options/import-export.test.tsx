// @vitest-environment happy-dom
/**
 * "Export and import" on the options page (under Settings), with the popup open beside it, against the REAL background on a fake browser: the exported
 * file (captured where the popup hands it to the browser's download) holds keys and secrets only
 * when asked; an import shows a preview and saves nothing until confirmed; every refusal (bad
 * file, oversized file, a failed write, projects changed since the preview) changes nothing.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../../src/core/import-projects';
import { MAX_IMPORT_MESSAGE_CHARS } from '../../../src/core/message-schemas';
import { REVOKE_AFTER_MS } from '../../../src/options/download-file';
import {
  KEY_A,
  KEY_B,
  NOW,
  addProject,
  findAlert,
  findProjectRadio,
  goToOptionsPage,
  openPopup as openPopupOnly,
  radioNames,
  stored,
  type Popup,
} from '../popup/setup-popup';

const SECRET = 'S3cretForOAuth';
const KEY_C = 'CcCcCcCcCcCcCcCcCcCcCcCcCcCc0003';

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

// --- helpers ---

/** Stand in for the browser's download: capture the Blob and the link the popup clicks. */
function captureDownloads() {
  const blobs: Blob[] = [];
  const clicks: { href: string; download: string; inDocument: boolean }[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((obj) => {
    blobs.push(obj as Blob);
    return `blob:popup/${blobs.length}`;
  });
  const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push({ href: this.getAttribute('href') ?? '', download: this.download, inDocument: this.isConnected });
  });
  return { blobs, clicks, revoke };
}

/** The popup and the options page, both on the same real background. */
function openPopup(options: Parameters<typeof openPopupOnly>[0] = {}): Promise<Popup> {
  return openPopupOnly({ ...options, withOptionsPage: true });
}

async function openSection(): Promise<void> {
  // Under Settings in the options app's navigation.
  if (!screen.queryByText('Export and import')) await goToOptionsPage('Settings');
  fireEvent.click(await screen.findByText('Export and import'));
}

function secretsBox(): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>('checkbox', { name: 'Include keys and secrets' });
}

function exportButton(): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>('button', { name: 'Export projects' });
}

/** The popup's own status line ("Exported …", "Added …"), once it says something. */
async function findStatus(text: string | RegExp): Promise<HTMLElement> {
  return waitFor(() => {
    const match = screen
      .queryAllByRole('status')
      .find((s) => (typeof text === 'string' ? s.textContent?.includes(text) : text.test(s.textContent ?? '')));
    if (!match) throw new Error(`No status containing ${String(text)}`);
    return match;
  });
}

/** Export through the popup and return the file as the browser would save it. */
async function exportFile(
  downloads: ReturnType<typeof captureDownloads>,
  includeSecrets: boolean,
): Promise<{ name: string; text: string }> {
  if (secretsBox().checked !== includeSecrets) fireEvent.click(secretsBox());
  const before = downloads.clicks.length;
  fireEvent.click(exportButton());
  await waitFor(() => expect(downloads.clicks.length).toBe(before + 1));
  const click = downloads.clicks.at(-1)!;
  const blob = downloads.blobs.at(-1)!;
  expect(click.href).toBe(`blob:popup/${downloads.blobs.length}`);
  expect(click.inDocument).toBe(true);
  expect(blob.type).toBe('application/json');
  return { name: click.download, text: await blob.text() };
}

function fileInput(): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>('Import file');
}

function chooseFile(content: string | object, name = 'projects.json'): File {
  const file = new File([typeof content === 'string' ? content : JSON.stringify(content)], name, {
    type: 'application/json',
  });
  fireEvent.change(fileInput(), { target: { files: [file] } });
  return file;
}

/** Choose a file and wait for its preview. */
async function previewFile(content: string | object, name = 'projects.json'): Promise<HTMLElement> {
  chooseFile(content, name);
  return screen.findByRole('region', { name: `Preview of ${name}` });
}

/** The preview's entries as "name: Action" lines, each followed by its problems and notes. */
function entryLines(): string[] {
  const list = screen.getByRole('list', { name: 'Projects in the file' });
  return Array.from(list.children).map((li) => {
    const name = li.querySelector('.import-entry-name')?.textContent ?? '';
    const action = li.querySelector('.import-action')?.textContent ?? '';
    return `${name}: ${action}`;
  });
}

function entryItem(name: string): HTMLElement {
  const list = screen.getByRole('list', { name: 'Projects in the file' });
  const item = Array.from(list.children).find((li) => li.querySelector('.import-entry-name')?.textContent === name);
  if (!item) throw new Error(`No entry ${name}`);
  return item as HTMLElement;
}

const keyringFile = (projects: unknown[]) => ({
  format: 'os-api-keyring',
  version: 1,
  exportedAt: '2025-03-01T09:30:15.042Z',
  appVersion: '0.1.0',
  includesSecrets: true,
  projects,
});

async function withTwoProjects(): Promise<Popup> {
  const popup = await openPopup();
  await addProject({ name: 'Roads', key: KEY_A });
  await addProject({ name: 'Flood Map', key: KEY_B, secret: SECRET, mode: 'oauth' });
  await openSection();
  return popup;
}

// --- export ---

describe('Export projects', () => {
  it('is keyboard-usable, starts without secrets, warns when secrets are ticked, and needs a project', async () => {
    await openPopup();
    await openSection();
    expect(secretsBox().checked).toBe(false);
    expect(exportButton().disabled).toBe(true);
    expect(screen.getByText('There are no projects to export yet.')).toBeTruthy();
    fireEvent.click(secretsBox());
    expect(secretsBox().checked).toBe(true);
    const warning = screen.getByText(/The file will contain your API keys and secrets in plain text/);
    expect(secretsBox().getAttribute('aria-describedby')).toBe(warning.id);
    expect(exportButton().getAttribute('aria-describedby')).toBe(warning.id);
    fireEvent.click(secretsBox());
    expect(screen.queryByText(/The file will contain your API keys and secrets/)).toBeNull();
  });

  it('without "Include keys and secrets" the file has no key and no secret, not even masked', async () => {
    const downloads = captureDownloads();
    await withTwoProjects();

    const file = await exportFile(downloads, false);

    expect(file.name).toBe('os-api-keyring-2023-11-14.json');
    for (const secret of [KEY_A, KEY_B, SECRET, KEY_A.slice(-4), KEY_B.slice(-4), SECRET.slice(-4)])
      expect(file.text).not.toContain(secret);
    const json = JSON.parse(file.text) as {
      format: string;
      version: number;
      includesSecrets: boolean;
      exportedAt: string;
      appVersion: string;
      notice?: string;
      projects: Record<string, unknown>[];
    };
    expect(json).toMatchObject({
      format: 'os-api-keyring',
      version: 1,
      includesSecrets: false,
      exportedAt: new Date(NOW).toISOString(),
      appVersion: 'unknown',
    });
    expect(json.notice).toBeUndefined();
    expect(json.projects.map((p) => p.name)).toEqual(['Roads', 'Flood Map']);
    for (const p of json.projects)
      expect(Object.keys(p).sort()).toEqual(['authMode', 'badgeText', 'color', 'mode', 'name']);
    expect((await findStatus('Exported 2 projects to os-api-keyring-2023-11-14.json.')).textContent).not.toMatch(
      /secret/,
    );
  });

  it('revokes the download URL after the click', async () => {
    const downloads = captureDownloads();
    await withTwoProjects();
    await exportFile(downloads, false);
    await waitFor(() => expect(downloads.revoke).toHaveBeenCalledWith('blob:popup/1'), {
      timeout: REVOKE_AFTER_MS + 2_000,
    });
  });

  it('with "Include keys and secrets" the file round-trips into a fresh browser', async () => {
    const downloads = captureDownloads();
    const first = await withTwoProjects();
    const file = await exportFile(downloads, true);
    expect(file.name).toBe('os-api-keyring-2023-11-14-with-secrets.json');
    expect(file.text).toContain('This file contains API keys and secrets');
    await findStatus('The file contains keys and secrets: keep it private.');
    const original = stored(first.fake).projects;
    cleanup();

    const second = await openPopup();
    await openSection();
    await previewFile(file.text, file.name);
    expect(entryLines()).toEqual(['Roads: Add', 'Flood Map: Add']);
    // The preview never brings a key or secret into the popup.
    expect(document.body.textContent).not.toContain(KEY_A);
    expect(document.body.textContent).not.toContain(SECRET);
    fireEvent.click(screen.getByRole('button', { name: 'Import 2 projects' }));
    await findStatus('Added 2, updated 0, skipped 0.');

    const pick = ({ name, key, secret, authMode, mode, badgeText, color }: (typeof original)[number]) => ({
      name,
      key,
      secret,
      authMode,
      mode,
      badgeText,
      color,
    });
    expect(stored(second.fake).projects.map(pick)).toEqual(original.map(pick));
    expect(stored(second.fake).activeProjectId).toBeNull();
    await findProjectRadio('Flood Map');
  });

  it('says so when the background cannot make the file', async () => {
    const downloads = captureDownloads();
    const { client } = await withTwoProjects();
    vi.spyOn(client, 'send').mockRejectedValueOnce(new Error('The background did not answer.'));
    fireEvent.click(exportButton());
    await findAlert('Could not export: The background did not answer.');
    expect(downloads.clicks).toEqual([]);
  });
});

// --- import ---

describe('Import file', () => {
  it('a file with problems shows each one and saves nothing', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await openSection();
    const before = stored(fake);

    await previewFile(
      keyringFile([
        { name: '', authMode: 'header', key: KEY_B },
        { name: 'Spaced', authMode: 'header', key: 'abc def' },
        { name: 'Token', authMode: 'oauth', key: KEY_C },
        { name: 'Cookie', authMode: 'cookie', key: KEY_C },
        { name: 'No Key', authMode: 'header' },
        { name: 'Roads', authMode: 'header' },
        { name: 'Twice', authMode: 'header', key: 'bad key!' },
        { name: 'twice', authMode: 'header', key: KEY_C },
      ]),
    );

    expect(entryLines()).toEqual([
      'Entry 1: Skip',
      'Spaced: Skip',
      'Token: Skip',
      'Cookie: Skip',
      'No Key: Skip',
      'Roads: Skip',
      'Twice: Skip',
      'twice: Skip',
    ]);
    expect(entryItem('Entry 1').textContent).toContain('This entry has no name.');
    expect(entryItem('Spaced').textContent).toMatch(/contains a space \(character 4\)/);
    expect(entryItem('Token').textContent).toMatch(/OAuth 2 needs the project’s API secret/);
    expect(entryItem('Cookie').textContent).toContain('Unknown authentication “cookie”');
    expect(entryItem('No Key').textContent).toContain('The file has no key for this project');
    expect(entryItem('Roads').textContent).toContain('Already saved with these settings');
    expect(entryItem('twice').textContent).toContain('Entry 7 in this file has the same name');
    expect(screen.getByText('Nothing in this file can be imported.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Import \d/ })).toBeNull();
    expect(stored(fake)).toEqual(before);
  });

  it.each([
    [
      'malformed JSON',
      '{\n  "format": "os-api-keyring",\n  "version": 1 x\n}',
      /not valid JSON \(near line 3, column 16\)/,
    ],
    [
      'a newer format version',
      JSON.stringify({ format: 'os-api-keyring', version: 2, projects: [] }),
      /made by a newer version of OS API Keyring/,
    ],
    ['another tool’s JSON', JSON.stringify({ format: 'postman', version: 1 }), /not an OS API Keyring export/],
    ['an empty file', '', /The file is empty/],
  ])(
    '%s: the error is shown as an alert, with nothing to import, and nothing changes',
    async (_label, text, message) => {
      const { fake } = await openPopup();
      await addProject({ name: 'Roads', key: KEY_A });
      await openSection();
      const before = stored(fake);

      await previewFile(text, 'broken.json');

      const alert = await findAlert('Nothing can be imported from this file:');
      expect(alert.textContent).toMatch(message);
      expect(screen.queryByRole('button', { name: /^Import \d/ })).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
      expect(screen.queryByRole('region', { name: 'Preview of broken.json' })).toBeNull();
      expect(stored(fake)).toEqual(before);
      expect(radioNames()).toEqual(['Roads', 'Off']);
    },
  );

  it('previews adds and updates, saves nothing before Import, then applies them in one go', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await openSection();
    const before = stored(fake);
    const writes = vi.spyOn(fake.local, 'set');

    await previewFile(
      keyringFile([
        { name: 'ROADS', authMode: 'query', plan: 'live', color: '#00703c' },
        { name: 'Flood Map', authMode: 'header', key: KEY_B, badgeText: 'FLD' },
        { name: 'Broken', authMode: 'header', key: 'abc def' },
      ]),
    );

    expect(entryLines()).toEqual(['Roads: Update', 'Flood Map: Add', 'Broken: Skip']);
    expect(entryItem('Roads').textContent).toContain('Keeps the saved key and secret (the file has none).');
    expect(screen.getByText(/1 to add, 1 to update, 1 to skip/).textContent).toMatch(/^An OS API Keyring export: /);
    expect(stored(fake)).toEqual(before);
    expect(writes).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Import 2 projects' }));

    await findStatus('Added 1, updated 1, skipped 1.');
    expect(writes).toHaveBeenCalledTimes(1);
    const after = stored(fake);
    expect(after.projects.map((p) => [p.name, p.key, p.authMode, p.mode, p.color, p.badgeText])).toEqual([
      ['Roads', KEY_A, 'query', 'live', '#00703c', 'ROAD'],
      ['Flood Map', KEY_B, 'header', 'dev', expect.stringMatching(/^#[0-9a-f]{6}$/), 'FLD'],
    ]);
    expect(after.activeProjectId).toBe(before.activeProjectId);
    await findProjectRadio('Flood Map');
    // The preview is done with; focus goes back to the file field for another import.
    expect(screen.queryByRole('region', { name: /^Preview of/ })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(fileInput()));
    expect(fileInput().value).toBe('');
  });

  it('Cancel discards the preview and saves nothing', async () => {
    const { fake } = await openPopup();
    await openSection();
    await previewFile(keyringFile([{ name: 'Flood Map', authMode: 'header', key: KEY_B }]));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('region', { name: /^Preview of/ })).toBeNull();
    expect(document.activeElement).toBe(fileInput());
    expect(stored(fake).projects).toEqual([]);
  });

  it('imports ModHeader profiles that send a key header, and lists the others with the reason', async () => {
    const { fake } = await openPopup();
    await openSection();
    await previewFile(
      [
        {
          title: 'OS Maps',
          shortTitle: 'OSM',
          backgroundColor: '#0b0',
          headers: [
            { enabled: true, name: 'key', value: KEY_C },
            { enabled: true, name: 'X-Debug', value: '1' },
          ],
          urlFilters: [{ enabled: true, urlRegex: 'api.os.uk' }],
        },
        { title: 'Token', headers: [{ enabled: true, name: 'Authorization', value: 'Bearer abc' }] },
        { title: 'Switched off', headers: [{ enabled: false, name: 'key', value: KEY_A }] },
      ],
      'modheader.json',
    );

    expect(entryLines()).toEqual(['OS Maps: Add', 'Token: Skip', 'Switched off: Skip']);
    expect(screen.getByText(/1 to add, 0 to update, 2 to skip/).textContent).toMatch(/^A ModHeader profile export: /);
    expect(entryItem('OS Maps').textContent).toContain('Its URL filters are not imported');
    expect(entryItem('OS Maps').textContent).toContain('Only its key header is imported');
    expect(entryItem('Token').textContent).toContain('It sends an Authorization header, not a key header.');
    expect(entryItem('Switched off').textContent).toContain('Its key header is switched off in ModHeader');
    expect(document.body.textContent).not.toContain(KEY_C);

    fireEvent.click(screen.getByRole('button', { name: 'Import 1 project' }));
    await findStatus('Added 1, updated 0, skipped 2.');
    expect(stored(fake).projects.map((p) => [p.name, p.key, p.authMode, p.badgeText, p.color])).toEqual([
      ['OS Maps', KEY_C, 'header', 'OSM', '#00bb00'],
    ]);
    await findProjectRadio('OS Maps');
  });

  it('refuses a file over 1 MiB before reading it, and sends nothing to the background', async () => {
    const { client, fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await openSection();
    const before = stored(fake);
    const send = vi.spyOn(client, 'send');
    const text = vi.spyOn(File.prototype, 'text');

    chooseFile(' '.repeat(MAX_IMPORT_BYTES + 1), 'huge.json');

    const alert = await findAlert(
      '“huge.json” is larger than 1 MiB, so it is not an OS API Keyring export. Nothing was read.',
    );
    expect(alert).toBeTruthy();
    expect(text).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: /^Preview of/ })).toBeNull();
    expect(stored(fake)).toEqual(before);
  });

  it('a storage write that fails during Import changes nothing, says so, and can be retried', async () => {
    const { fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await openSection();
    const before = stored(fake);
    await previewFile(
      keyringFile([
        { name: 'Roads', authMode: 'header', plan: 'live' },
        { name: 'Flood Map', authMode: 'header', key: KEY_B },
      ]),
    );
    fake.failWrites = new Error('QUOTA_BYTES quota exceeded');

    fireEvent.click(screen.getByRole('button', { name: 'Import 2 projects' }));

    const alert = await findAlert('could not save your change (QUOTA_BYTES quota exceeded)');
    expect(alert.textContent).toContain('Nothing was changed');
    expect(stored(fake)).toEqual(before);
    expect(radioNames()).toEqual(['Roads', 'Off']);
    expect(screen.queryAllByRole('status').filter((s) => s.textContent?.startsWith('Added'))).toEqual([]);

    // The preview stays, so the user can try again once the browser accepts writes.
    fake.failWrites = null;
    fireEvent.click(screen.getByRole('button', { name: 'Import 2 projects' }));
    await findStatus('Added 1, updated 1, skipped 0.');
    expect(stored(fake).projects.map((p) => p.name)).toEqual(['Roads', 'Flood Map']);
  });

  it('when projects change after the preview, nothing is imported and the preview is brought up to date', async () => {
    const { client, fake } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_A });
    await openSection();
    await previewFile(
      keyringFile([
        { name: 'Flood Map', authMode: 'header', key: KEY_B },
        { name: 'Roads', authMode: 'header', plan: 'live' },
      ]),
    );
    expect(entryLines()).toEqual(['Flood Map: Add', 'Roads: Update']);

    // Meanwhile, in another popup window: Flood Map is added by hand (with another key), Roads is edited.
    await client.send('saveProject', { name: 'Flood Map', key: KEY_C, secret: '', authMode: 'header' });
    const roads = stored(fake).projects.find((p) => p.name === 'Roads')!;
    await client.send('saveProject', {
      id: roads.id,
      revision: roads.revision,
      name: 'Roads',
      key: KEY_A,
      secret: '',
      authMode: 'header',
      badgeText: 'RDS',
    });
    const before = stored(fake);

    fireEvent.click(screen.getByRole('button', { name: 'Import 2 projects' }));

    await findAlert('Your projects changed after the preview, so nothing was imported.');
    expect(stored(fake)).toEqual(before);
    await waitFor(() => expect(entryLines()).toEqual(['Flood Map: Update', 'Roads: Update']));
    expect(entryItem('Flood Map').textContent).toContain('changes the key');

    fireEvent.click(screen.getByRole('button', { name: 'Import 2 projects' }));
    await findStatus('Added 0, updated 2, skipped 0.');
    expect(stored(fake).projects.map((p) => [p.name, p.key, p.mode])).toEqual([
      ['Roads', KEY_A, 'live'],
      ['Flood Map', KEY_B, 'dev'],
    ]);
  });
});

// --- the messages themselves ---

describe('export and import messages', () => {
  it('previewImport answers without keys or secrets', async () => {
    const { client } = await openPopup();
    const preview = await client.send('previewImport', {
      text: JSON.stringify(keyringFile([{ name: 'A', authMode: 'oauth', key: KEY_B, secret: SECRET }])),
    });
    expect(preview.entries).toEqual([{ position: 1, name: 'A', action: 'add', problems: [], notes: [] }]);
    expect(JSON.stringify(preview)).not.toContain(KEY_B);
    expect(JSON.stringify(preview)).not.toContain(SECRET);
  });

  it('refuses import text beyond the message limit without reading it, and over 1 MiB with the core’s message', async () => {
    const { client } = await openPopup();
    await expect(client.send('previewImport', { text: ' '.repeat(MAX_IMPORT_MESSAGE_CHARS + 1) })).rejects.toThrow(
      'Malformed previewImport message.',
    );
    await expect(client.send('applyImport', { text: ' '.repeat(MAX_IMPORT_MESSAGE_CHARS + 1) })).rejects.toThrow(
      'Malformed applyImport message.',
    );
    const preview = await client.send('previewImport', { text: ' '.repeat(MAX_IMPORT_BYTES + 1) });
    expect(preview.fileErrors).toEqual([
      'The file is larger than 1 MiB, so it is not an OS API Keyring export. Nothing was read.',
    ]);
    await expect(client.send('applyImport', { text: ' '.repeat(MAX_IMPORT_BYTES + 1) })).rejects.toThrow(
      /^Nothing was imported. The file is larger than 1 MiB/,
    );
  });

  it('applyImport refuses a file where every entry is skipped, without writing', async () => {
    const { client, fake } = await openPopup();
    const writes = vi.spyOn(fake.local, 'set');
    await expect(
      client.send('applyImport', { text: JSON.stringify(keyringFile([{ name: 'A', authMode: 'header' }])) }),
    ).rejects.toThrow('every entry in the file is skipped');
    expect(writes).not.toHaveBeenCalled();
  });

  it('exportProjects writes the extension version when the background knows it', async () => {
    const { client, env } = await openPopup();
    await client.send('saveProject', { name: 'A', key: KEY_A, secret: '', authMode: 'header' });
    Object.assign(env, { appVersion: () => '9.8.7' });
    const { text } = await client.send('exportProjects', { includeSecrets: false });
    expect(JSON.parse(text)).toMatchObject({ appVersion: '9.8.7' });
  });
});
