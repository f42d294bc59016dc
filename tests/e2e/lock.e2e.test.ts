// The passphrase lock end to end in Chromium, with the real 600,000-iteration PBKDF2: turning it on
// in the popup leaves no key in chrome.storage.local; locking stops injection (a typed OS API URL
// reaches the mock without a key); a wrong passphrase is an alert; unlocking restores the key.
// Also: the edit form shows a saved key only when revealed.
import { describe, expect, it } from 'vitest';
import { credentialsIn } from './extension-harness';
import { openRowMenu } from './popup-actions';
import { ext, popup, sessionForThisFile, typedEchoRequest } from './session-fixture';

const KEY = 'LOCKe2eKEY000000000000000001';
const PASS = 'correct horse battery staple';

let n = 0;

sessionForThisFile({
  mock: { projects: [{ key: KEY, plan: 'live' }], rateLimitPerMinute: { dev: 10_000, live: 10_000 } },
  projects: [{ name: 'Locked', key: KEY, mode: 'Key header' }],
  active: { name: 'Locked', key: KEY },
});

/** Type an OS API URL into a tab; the key the mock saw. */
async function typedUrlKey(): Promise<string | undefined> {
  return (await typedEchoRequest(`lock-${++n}-${Date.now()}`)).headers.key;
}

describe('secrets out of sight', () => {
  it('the edit form holds no saved key until Reveal key; saving with it blank keeps the key on the wire', async () => {
    await popup.bringToFront();
    await openRowMenu(popup, 'Locked');
    await popup.getByRole('button', { name: 'Edit Locked' }).click();
    const keyField = popup.getByRole('textbox', { name: 'API key' });
    await expect(keyField.inputValue()).resolves.toBe('');
    await expect(keyField.getAttribute('placeholder')).resolves.toBe(`unchanged (••••••••${KEY.slice(-4)})`);
    expect(await popup.content()).not.toContain(KEY);
    await popup.getByRole('button', { name: 'Reveal key' }).click();
    await expect.poll(() => keyField.inputValue()).toBe(KEY);
    await keyField.fill('');
    await popup.getByRole('textbox', { name: 'Name' }).fill('Locked');
    await popup.getByRole('button', { name: 'Save', exact: true }).click();
    await popup.getByRole('button', { name: 'Add project' }).waitFor();
    expect(await typedUrlKey()).toBe(KEY);
  });
});

describe('passphrase lock', () => {
  it('turning it on (options page, Settings) leaves no key in chrome.storage.local; the key is still attached', async () => {
    const options = await ext.openOptions();
    await options.getByRole('link', { name: 'Settings' }).click();
    await options.getByText('Passphrase lock').click();
    await options.getByLabel('New passphrase').fill(PASS);
    await options.getByLabel('Repeat passphrase').fill(PASS);
    await options.getByRole('button', { name: 'Turn on lock' }).click();
    await options.getByRole('button', { name: 'Lock now' }).waitFor({ timeout: 15_000 });
    await options.close();
    // The popup offers Lock now once the lock is on.
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Lock now' }).waitFor({ timeout: 15_000 });
    const local = await (await ext.worker()).evaluate(() => chrome.storage.local.get(null));
    const text = JSON.stringify(local);
    expect(text).not.toContain(KEY);
    expect(text).toContain('"iterations":600000');
    expect(await typedUrlKey()).toBe(KEY);
  });

  it('Lock now: a typed OS API URL reaches the mock without a key, and the badge says locked', async () => {
    await popup.getByRole('button', { name: 'Lock now' }).click();
    await popup.getByRole('button', { name: 'Unlock' }).waitFor();
    await ext.waitForRules((r) => r.length === 0, 'no rules while locked');
    expect(await typedUrlKey()).toBeUndefined();
    const badge = await (
      await ext.worker()
    ).evaluate(async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));
    expect(badge).toEqual({ text: 'LOCK', title: 'OS API Keyring: locked: open the popup to unlock' });
  });

  it('a wrong passphrase shows an alert and stays locked', async () => {
    await popup.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await expect(popup.getByRole('alert').textContent({ timeout: 15_000 })).resolves.toMatch(/^Wrong passphrase/);
    expect(await ext.rules()).toEqual([]);
  });

  it('unlocking puts the key back on the wire', async () => {
    await popup.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await popup.getByRole('button', { name: 'Add project' }).waitFor({ timeout: 15_000 });
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'unlocked');
    expect(await typedUrlKey()).toBe(KEY);
  });
});
