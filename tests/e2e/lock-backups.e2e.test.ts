// Backups of damaged data and the passphrase lock, end to end in Chromium (real 600,000-iteration
// PBKDF2): a damaged document, "Start again" in the popup (a plain backup holding the old key),
// then the lock turned on from the options page choosing to seal the backup. Asserts the options
// page's list (sealed), that all of chrome.storage.local as the extension reads it holds neither
// key, that the mock still receives the live key, and Delete with its confirmation.
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './axe';
import { credentialsIn } from './extension-harness';
import { activate, addProject } from './popup-actions';
import { ext, popup, sessionForThisFile, typedEchoRequest } from './session-fixture';

const OLD_KEY = 'BACKUPe2eOLDKEY0000000000001';
const KEY = 'BACKUPe2eLIVEKEY000000000002';
const PASS = 'correct horse battery staple';
const NEW_PASS = 'a different passphrase entirely';
const DELETE_NAME = /^Delete backup from \d{1,2} \w{3,4} \d{4}, \d{2}:\d{2}:\d{2}$/;

sessionForThisFile({
  mock: { projects: [{ key: KEY, plan: 'live' }], rateLimitPerMinute: { dev: 10_000, live: 10_000 } },
});

/** All of chrome.storage.local, read by the extension itself, as one text. */
async function allLocal(): Promise<{ text: string; keys: string[] }> {
  const local = await (await ext.worker()).evaluate(() => chrome.storage.local.get(null));
  return { text: JSON.stringify(local), keys: Object.keys(local) };
}

/** A typed OS API URL: the key the mock received. */
async function typedUrlKey(): Promise<string | undefined> {
  return (await typedEchoRequest(`backup-${Date.now()}`)).headers.key;
}

/**
 * The stored backup opened with `passphrase` in the extension's own worker, with WebCrypto alone
 * and the sealed-backup format (PBKDF2-SHA-256 under the backup's salt and iterations, AES-GCM with
 * the backup's additional data): its text, or null when the passphrase does not open it.
 */
async function openBackupWith(passphrase: string): Promise<string | null> {
  return (await ext.worker()).evaluate(async (pass) => {
    const all = await chrome.storage.local.get(null);
    const backup = Object.entries(all).find(([k]) => k.startsWith('keyring.backup.'))?.[1] as {
      kdf: { salt: string; iterations: number };
      box: { iv: string; data: string };
    };
    const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const material = await crypto.subtle.importKey('raw', utf8(pass.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(backup.kdf.salt), iterations: backup.kdf.iterations },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    try {
      const additionalData = utf8('os-api-keyring/lock/v1/backup');
      const iv = bytes(backup.box.iv);
      return new TextDecoder().decode(
        await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, bytes(backup.box.data)),
      );
    } catch {
      return null;
    }
  }, passphrase);
}

describe('backups of damaged data under the lock', () => {
  it('Start again keeps a plain backup holding the old key', async () => {
    await addProject(popup, { name: 'Old', key: OLD_KEY, mode: 'Key header' });
    // Damage the stored document: its project's rule slot is no longer below nextRuleSlot.
    await (
      await ext.worker()
    ).evaluate(async () => {
      const { keyring } = await chrome.storage.local.get('keyring');
      await chrome.storage.local.set({ keyring: { ...(keyring as object), nextRuleSlot: 0 } });
    });
    await popup.reload();
    await popup.getByRole('button', { name: 'Start again (keep a backup of the old data)' }).click();
    await popup.getByRole('button', { name: 'Add project' }).waitFor({ timeout: 15_000 });
    const stored = await allLocal();
    expect(stored.keys.filter((k) => k.startsWith('keyring.backup.'))).toHaveLength(1);
    expect(stored.text).toContain(OLD_KEY); // the premise: a plain copy
    await addProject(popup, { name: 'Live', key: KEY, mode: 'Key header' });
    await activate(popup, 'Live');
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'Live active');
  });

  it('turning the lock on, choosing seal: listed as sealed, neither key anywhere in storage.local, the live key still sent', async () => {
    const options = await ext.openOptions();
    await options.getByRole('link', { name: 'Settings' }).click();
    const list = options.getByRole('table', { name: 'Backups of damaged data' });
    await expect(list.getByRole('cell', { name: 'Plain text' }).count()).resolves.toBe(1);
    await options.getByText('Passphrase lock').click();
    await options.getByLabel('New passphrase').fill(PASS);
    await options.getByLabel('Repeat passphrase').fill(PASS);
    const choice = options.getByRole('group', { name: 'A backup of damaged data may hold keys in plain text' });
    await expect(choice.getByRole('radio', { name: 'Seal it with the lock' }).isChecked()).resolves.toBe(true);
    await options.getByRole('button', { name: 'Turn on lock' }).click();
    await options.getByRole('button', { name: 'Lock now' }).waitFor({ timeout: 15_000 });
    await list.getByRole('cell', { name: 'Sealed with the lock' }).waitFor({ timeout: 10_000 });
    expect(await list.getByRole('cell', { name: 'Plain text' }).count()).toBe(0);

    const stored = await allLocal();
    expect(stored.keys.filter((k) => k.startsWith('keyring.backup.'))).toHaveLength(1);
    expect(stored.text).not.toContain(OLD_KEY);
    expect(stored.text).not.toContain(KEY);
    expect(stored.text).toContain('"format":"os-api-keyring/sealed-backup"');
    expect(await typedUrlKey()).toBe(KEY);
    expect(await openBackupWith(PASS)).toContain(OLD_KEY);

    // Changing the passphrase re-seals it: the new passphrase opens it, the old one no longer does.
    await options.getByRole('button', { name: 'Change passphrase' }).click();
    await options.getByLabel('Current passphrase').fill(PASS);
    await options.getByLabel('New passphrase', { exact: true }).fill(NEW_PASS);
    await options.getByRole('button', { name: 'Save new passphrase' }).click();
    await options.getByText('Passphrase changed.').waitFor({ timeout: 15_000 });
    expect(await openBackupWith(NEW_PASS)).toContain(OLD_KEY);
    expect(await openBackupWith(PASS)).toBeNull();
    expect((await allLocal()).text).not.toContain(OLD_KEY);

    // Recover projects: the backup's project comes back through the import preview, its key sealed
    // with the lock (PBKDF2 at the real 600,000 iterations), and it is the key sent once chosen.
    await list.getByRole('button', { name: /^Recover projects from backup from / }).click();
    const preview = options.getByRole('region', { name: /^Preview of backup from / });
    await expect(preview.textContent()).resolves.toContain(
      'A backup of damaged data: 1 to add, 0 to update, 0 to skip.',
    );
    // The backups list with its recovery preview open passes axe in both themes.
    for (const colorScheme of ['light', 'dark'] as const) {
      await options.emulateMedia({ colorScheme });
      const violations = await axeViolations(options);
      expect(violations, `recovery preview (${colorScheme}): ${describeViolations(violations)}`).toEqual([]);
    }
    await options.emulateMedia({ colorScheme: 'light' });
    await preview.getByRole('button', { name: 'Import 1 project' }).click();
    await options
      .getByText(/^Recovered from the backup from .*: added 1, updated 0, skipped 0\.$/)
      .waitFor({ timeout: 15_000 });
    expect((await allLocal()).text).not.toContain(OLD_KEY);
    await popup.reload();
    await activate(popup, 'Old');
    await ext.waitForRules((r) => credentialsIn(r).includes(OLD_KEY), 'Old active');
    expect(await typedUrlKey()).toBe(OLD_KEY);
    await activate(popup, 'Live');
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'Live active again');

    // Delete asks first; Cancel keeps it, Confirm removes it.
    const del = list.getByRole('button', { name: DELETE_NAME });
    const name = (await del.getAttribute('aria-label'))!;
    await del.click();
    await options.getByRole('button', { name: 'Cancel' }).click();
    expect((await allLocal()).keys.filter((k) => k.startsWith('keyring.backup.'))).toHaveLength(1);
    await options.getByRole('button', { name }).click();
    await options.getByRole('button', { name: `Confirm ${name.charAt(0).toLowerCase()}${name.slice(1)}` }).click();
    await options.getByText('No backups of damaged data.').waitFor({ timeout: 10_000 });
    expect((await allLocal()).keys.filter((k) => k.startsWith('keyring.backup.'))).toEqual([]);
    await options.close();
  });
});
