// Export and import (on the options page) end to end in real Chromium with the built extension: the file the page
// exports (caught as a real browser download) has no key unless asked; an imported file's valid
// project is saved and its key reaches the OS API mock once the project is active, while its
// invalid project and a malformed file change nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, credentialsIn } from './extension-harness';
import { activate } from './popup-actions';
import { ext, mock, popup, sessionForThisFile } from './session-fixture';

const SAVED_KEY = 'EXPORTkeyA000000000000000001';
const IMPORTED_KEY = 'IMPORTkeyB000000000000000002';
const TILE = '/maps/raster/v1/zxy/Road_3857/7/63/42.png';

/** The options page, where Export and import lives (under Settings). */
let options: Page;

sessionForThisFile({
  mock: {
    projects: [
      { key: SAVED_KEY, plan: 'live' },
      { key: IMPORTED_KEY, plan: 'live' },
    ],
  },
  projects: [{ name: 'Saved', key: SAVED_KEY, mode: 'Key header', badge: 'SAV' }],
});

beforeAll(async () => {
  options = await ext.openOptions();
  await options.getByRole('link', { name: 'Settings' }).click();
});

/** Open the "Export and import" section (a <details>) unless it is open already. */
async function openSection(): Promise<void> {
  await options.bringToFront();
  const details = options.locator('details.backup');
  if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open)))
    await options.getByText('Export and import', { exact: true }).click();
}

/** What the extension has stored, read in its service worker. */
async function storedDocument(): Promise<string> {
  return JSON.stringify(await (await ext.worker()).evaluate(() => chrome.storage.local.get(null)));
}

describe('export', () => {
  it('without "Include keys and secrets" the downloaded file has no key', async () => {
    await openSection();
    await expect(options.getByRole('checkbox', { name: 'Include keys and secrets' }).isChecked()).resolves.toBe(false);

    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.getByRole('button', { name: 'Export projects' }).click(),
    ]);

    expect(download.suggestedFilename()).toMatch(/^os-api-keyring-\d{4}-\d{2}-\d{2}\.json$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).not.toContain(SAVED_KEY);
    expect(text).not.toContain(SAVED_KEY.slice(-4));
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { version: string };
    expect(JSON.parse(text)).toEqual({
      format: 'os-api-keyring',
      version: 1,
      exportedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      appVersion: manifest.version,
      includesSecrets: false,
      projects: [
        {
          name: 'Saved',
          authMode: 'header',
          mode: 'dev',
          badgeText: 'SAV',
          color: expect.stringMatching(/^#[0-9a-f]{6}$/),
        },
      ],
    });
    await options
      .getByRole('status')
      .filter({ hasText: `Exported 1 project to ${download.suggestedFilename()}.` })
      .waitFor();
  });
});

describe('import', () => {
  it('a malformed file shows the error and changes nothing', async () => {
    await openSection();
    const before = await storedDocument();
    await options.getByLabel('Import file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{\n  "format": "os-api-keyring",\n  "version": 1 x\n}'),
    });

    const alert = options.getByRole('alert').filter({ hasText: 'Nothing can be imported from this file:' });
    await expect(alert.textContent()).resolves.toMatch(/not valid JSON \(near line 3, column 16\)/);
    await expect(options.getByRole('button', { name: /^Import \d/ }).count()).resolves.toBe(0);
    await options.getByRole('button', { name: 'Cancel' }).click();
    await expect(options.getByRole('region', { name: 'Preview of broken.json' }).count()).resolves.toBe(0);
    expect(await storedDocument()).toBe(before);
  });

  it('one valid and one invalid project: only the valid one is imported, and its key reaches the OS API once active', async () => {
    await openSection();
    const file = {
      format: 'os-api-keyring',
      version: 1,
      includesSecrets: true,
      projects: [
        // An older file: `plan` is what `mode` was called before schema 5; imports read both.
        { name: 'Imported', authMode: 'header', plan: 'live', badgeText: 'IMP', color: '#00703c', key: IMPORTED_KEY },
        { name: 'Broken', authMode: 'header', key: 'abc def' },
      ],
    };
    await options
      .getByLabel('Import file')
      .setInputFiles({ name: 'team.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });

    const preview = options.getByRole('region', { name: 'Preview of team.json' });
    await preview.waitFor();
    const entries = preview.getByRole('list', { name: 'Projects in the file' }).locator(':scope > li');
    await expect(entries.count()).resolves.toBe(2);
    await expect(entries.nth(0).textContent()).resolves.toMatch(/^Imported: Add/);
    await expect(entries.nth(1).textContent()).resolves.toMatch(/^Broken: Skip.*contains a space \(character 4\)/);
    // The preview is all the page has seen: no key in it, and nothing saved yet.
    expect(await options.locator('main').textContent()).not.toContain(IMPORTED_KEY);
    expect(await storedDocument()).not.toContain('Imported');

    await options.getByRole('button', { name: 'Import 1 project' }).click();
    await options.getByRole('status').filter({ hasText: 'Added 1, updated 0, skipped 1.' }).waitFor();
    await popup.getByRole('radio', { name: 'Imported', exact: true }).waitFor();
    const saved = await storedDocument();
    expect(saved).toContain(IMPORTED_KEY);
    expect(saved).not.toContain('Broken');
    // Importing never changes which project is active.
    expect(await ext.rules()).toEqual([]);

    await activate(popup, 'Imported');
    await ext.waitForRules((r) => credentialsIn(r).includes(IMPORTED_KEY), 'Imported active');
    const page = await ext.context.newPage();
    try {
      const tag = `import-${Date.now()}`;
      const response = await page.goto(`https://api.os.uk${TILE}?${tag}`);
      expect(response?.status()).toBe(200);
      const request = await mock.waitForRequest((r) => r.url.includes(tag));
      expect(request.headers.key).toBe(IMPORTED_KEY);
    } finally {
      await page.close();
    }
  });
});
