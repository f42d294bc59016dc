// The whole popup by keyboard alone, in the real built extension: add a project, pick it with the
// arrow keys, see the mock receive its key, delete it. Screenshots of each state are saved (to
// test-results/screenshots, or to SCREENSHOT_DIR: `npm run screenshots` refreshes docs/images).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { credentialsIn, savePopupScreenshot } from './extension-harness';
import { ext, mock, popup, sessionForThisFile } from './session-fixture';

const KEY = 'KEYBOARDkey0000000000000042';

sessionForThisFile({ mock: { projects: [{ key: KEY, plan: 'live' }] } });

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** Press Tab (or Shift+Tab) until `target` has focus; fails if it is not reachable. */
async function tabTo(target: Locator, backwards = false): Promise<number> {
  for (let presses = 1; presses <= 30; presses++) {
    await popup.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await isFocused(target)) return presses;
  }
  throw new Error(`not reachable by keyboard: ${target.toString()}`);
}

const shot = (name: string) => savePopupScreenshot(popup, name);

beforeAll(async () => {
  await popup.bringToFront();
});

describe('popup by keyboard', () => {
  it('adds a project with keyboard only, showing validation errors in an alert', async () => {
    await shot('popup-empty');
    await tabTo(popup.getByRole('button', { name: 'Add project' }));
    await popup.keyboard.press('Enter');
    expect(await isFocused(popup.getByRole('textbox', { name: 'Name' }))).toBe(true);
    await popup.keyboard.type('Keyboard Demo');
    await popup.keyboard.press('Tab');
    expect(await isFocused(popup.getByRole('textbox', { name: 'API key' }))).toBe(true);
    await popup.keyboard.type('not a key!');
    await tabTo(popup.getByRole('button', { name: 'Save', exact: true }));
    await popup.keyboard.press('Enter');
    // The alert region is always in the page; wait for the background's answer to fill it.
    await popup
      .getByRole('alert')
      .filter({ hasText: /a space \(character 4\)/ })
      .waitFor();
    await shot('popup-validation-error');

    // Fix the key: back to the field, select all, retype.
    await tabTo(popup.getByRole('textbox', { name: 'API key' }), true);
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type(KEY);
    // Back up to the Authentication group, first in the form (focus lands on the checked radio),
    // then arrow to query mode. (No API secret field: it shows for OAuth 2 only.)
    await tabTo(popup.getByRole('radio', { name: 'Key header' }), true);
    expect(await isFocused(popup.getByRole('radio', { name: 'Key header' }))).toBe(true);
    await popup.keyboard.press('ArrowDown');
    await expect(popup.getByRole('radio', { name: 'Key query parameter' }).isChecked()).resolves.toBe(true);
    await tabTo(popup.getByRole('button', { name: 'Save', exact: true }));
    await popup.keyboard.press('Enter');
    await popup.getByRole('radio', { name: 'Keyboard Demo', exact: true }).waitFor();
    // Focus returns to where the user started.
    await expect.poll(() => isFocused(popup.getByRole('button', { name: 'Add project' }))).toBe(true);
  });

  it('activates it with the arrow keys in the Active project group, and the mock receives the key', async () => {
    // Shift+Tab back into the radio group: focus lands on the checked radio (Off).
    await tabTo(popup.getByRole('radio', { name: 'Off' }), true);
    await popup.keyboard.press('ArrowUp');
    await popup.waitForFunction(() =>
      document.getElementById('status')?.textContent?.includes('Attaching Keyboard Demo'),
    );
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'rules for Keyboard Demo');
    await shot('popup-keyboard-active');

    const page = await ext.context.newPage();
    await page.goto('https://api.os.uk/maps/raster/v1/zxy/Light_3857/8/127/85.png?kbd=1');
    const received = await mock.waitForRequest((r) => r.url.includes('kbd=1'));
    expect(received.query.key).toBe(KEY);
    expect(received.status).toBe(200);
    await page.close();
  });

  it('deletes it with keyboard only, confirming in the popup', async () => {
    await popup.bringToFront();
    // Delete is behind the row's menu button: open it by keyboard, focus goes to Edit, then Delete.
    await tabTo(popup.getByRole('button', { name: 'More actions for Keyboard Demo' }));
    await popup.keyboard.press('Enter');
    await expect.poll(() => isFocused(popup.getByRole('button', { name: 'Edit Keyboard Demo' }))).toBe(true);
    await tabTo(popup.getByRole('button', { name: 'Delete Keyboard Demo' }));
    await popup.keyboard.press('Enter');
    expect(await isFocused(popup.getByRole('button', { name: 'Confirm delete' }))).toBe(true);
    await shot('popup-confirm-delete');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByRole('radio', { name: 'Keyboard Demo' }).count()).toBe(0);
    await expect(popup.getByRole('radio', { name: 'Off' }).isChecked()).resolves.toBe(true);
    await ext.waitForRules((r) => r.length === 0, 'no rules after deleting the active project');
  });
});
