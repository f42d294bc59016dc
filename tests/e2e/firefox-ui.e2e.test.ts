// The popup and the options page driven end to end in Debian's Firefox ESR (puppeteer-core over
// WebDriver BiDi) with the built extension against the mock, once per theme: Firefox is started
// with its content colour scheme forced light or dark (the `prefers-color-scheme` the pages see),
// and every state is checked by axe-core (WCAG 2.x A/AA and best practices, contrast included).
// The same states in Chromium, with the screenshots, are in ui.e2e.test.ts.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsApiMock } from '../mock/os-api-mock';
import { axeViolations, describeViolations } from './axe';
import { credentialsIn, type UiPage } from './driver';
import { FIREFOX_MOCK_PORT, launchFirefoxWithExtension, type FirefoxSession } from './firefox-harness';
import { startPageServer, type PageServer } from './page-server';
import { activate, addProject, openRowMenu } from './popup-actions';
import { startMockOnFixedPort } from './scenarios/target';

const KEY_A = 'FFuiKeyAlpha0000000000000000000001';
const KEY_O = 'FFuiKeyOAuth0000000000000000000003';
const SECRET_O = 'FFuiSecretOAuth00000000000000003';
/** Firefox, like Chrome, cuts an extension popup at 600 px. */
const POPUP_MAX_HEIGHT = 600;
/** Firefox's `layout.css.prefers-color-scheme.content-override`: 0 dark, 1 light. */
const SCHEME_PREF = { light: 1, dark: 0 } as const;

async function expectAxeClean(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${state}: ${describeViolations(violations)}`).toEqual([]);
}

const popupHeight = (page: Page) =>
  page.evaluate(() => Math.ceil(document.querySelector('main')!.getBoundingClientRect().height));

for (const theme of ['light', 'dark'] as const) {
  describe(`Firefox, ${theme} theme`, () => {
    let mock: OsApiMock;
    let pages: PageServer;
    let ext: FirefoxSession;
    let popup: UiPage;
    let popupPage: Page;

    beforeAll(async () => {
      mock = await startMockOnFixedPort(FIREFOX_MOCK_PORT, {
        projects: [
          { key: KEY_A, plan: 'live' },
          { key: KEY_O, secret: SECRET_O, plan: 'live' },
        ],
      });
      pages = await startPageServer();
      ext = await launchFirefoxWithExtension({
        prefs: { 'layout.css.prefers-color-scheme.content-override': SCHEME_PREF[theme] },
      });
      ({ ui: popup, page: popupPage } = await ext.openExtensionPage('src/popup/index.html'));
      await popupPage.setViewport({ width: 380, height: 600 });
      await popup.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
    });

    afterAll(async () => {
      await ext?.close();
      await pages?.close();
      await mock?.close();
    });

    it(`the pages see the ${theme} colour scheme`, async () => {
      expect(await popupPage.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(theme === 'dark');
    });

    it('popup: empty, the add form (API secret only for OAuth 2), a refused key: axe-clean, under 600 px', async () => {
      await popup.getByText('No projects yet.').waitFor();
      await expectAxeClean(popupPage, 'popup empty');
      expect(await popupHeight(popupPage)).toBeLessThanOrEqual(POPUP_MAX_HEIGHT);

      await popup.getByRole('button', { name: 'Add project' }).click();
      await popup.getByRole('textbox', { name: 'Name' }).waitFor();
      await expect(popup.getByLabel('API secret').count()).resolves.toBe(0);
      await expectAxeClean(popupPage, 'popup add form');
      await popup
        .getByRole('radiogroup', { name: 'Authentication' })
        .getByRole('radio', { name: 'OAuth 2 bearer token' })
        .check();
      await popup.getByLabel('API secret').waitFor();
      await expectAxeClean(popupPage, 'popup add form, OAuth 2');
      expect(await popupHeight(popupPage)).toBeLessThanOrEqual(POPUP_MAX_HEIGHT);

      await popup
        .getByRole('radiogroup', { name: 'Authentication' })
        .getByRole('radio', { name: 'Key header' })
        .check();
      await popup.getByRole('textbox', { name: 'Name' }).fill('Alpha');
      await popup.getByRole('textbox', { name: 'API key' }).fill('not a key!');
      await popup.getByRole('button', { name: 'Save', exact: true }).click();
      await popup.getByRole('alert').waitFor();
      expect(await popup.getByRole('alert').textContent()).toMatch(/Not saved/);
      await expectAxeClean(popupPage, 'popup validation error');
      await popup.getByRole('button', { name: 'Cancel' }).click();
      // Nothing was saved.
      await popup.getByText('No projects yet.').waitFor();
    });

    it('popup: Save and use activates the project; the row menu and the in-row delete confirmation are axe-clean', async () => {
      await popup.getByRole('button', { name: 'Add project' }).click();
      await popup.getByRole('textbox', { name: 'Name' }).fill('Alpha');
      await popup.getByRole('textbox', { name: 'API key' }).fill(KEY_A);
      await popup.getByRole('button', { name: 'Save and use' }).click();
      await ext.waitForRules((r) => credentialsIn(r).includes(KEY_A), 'Alpha active after Save and use');
      await popup.waitForFunction(
        () => document.getElementById('status')?.textContent?.includes('Attaching Alpha as a key header'),
        undefined,
      );
      await addProject(popup, { name: 'Gamma OAuth', key: KEY_O, secret: SECRET_O, mode: 'OAuth 2 bearer token' });
      await expectAxeClean(popupPage, 'popup projects');
      expect(await popupHeight(popupPage)).toBeLessThanOrEqual(POPUP_MAX_HEIGHT);

      await openRowMenu(popup, 'Gamma OAuth');
      await popup.getByRole('button', { name: 'Delete Gamma OAuth' }).click();
      await popup.getByRole('button', { name: 'Confirm delete' }).waitFor();
      await expectAxeClean(popupPage, 'popup confirm delete');
      expect(await popupHeight(popupPage)).toBeLessThanOrEqual(POPUP_MAX_HEIGHT);
      await popup.getByRole('button', { name: 'Cancel' }).click();
      await popup.getByRole('button', { name: 'Confirm delete' }).waitFor({ state: 'detached' });
    });

    it('popup: the OAuth 2 token countdown in the status card', async () => {
      await activate(popup, 'Gamma OAuth');
      await popup.waitForFunction(
        () => /^\d+ min \d\d s$|^\d+ s$/.test(document.getElementById('token-time-left')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
      await popup.getByRole('region', { name: 'OAuth 2 token' }).waitFor();
      await expectAxeClean(popupPage, 'popup OAuth 2');
      expect(await popupHeight(popupPage)).toBeLessThanOrEqual(POPUP_MAX_HEIGHT);
      await activate(popup, 'Alpha');
      await ext.waitForRules((r) => credentialsIn(r).includes(KEY_A), 'Alpha active again');
    });

    it('options: a page’s request shows in Activity with its details; every page is axe-clean', async () => {
      // A request from a local page, with Alpha's key attached.
      const tab = await ext.newPage();
      const marker = `ffui${theme}${Date.now()}`;
      await tab.goto(pages.url('localhost', `/${marker}`));
      expect(
        await tab.evaluate(
          async (m) => (await fetch(`https://api.os.uk/search/names/v1/find?query=${m}`)).status,
          marker,
        ),
      ).toBe(200);
      expect(mock.requests.some((r) => r.url.includes(marker) && r.headers.key === KEY_A)).toBe(true);

      const { ui: options, page } = await ext.openExtensionPage('src/options/index.html');
      await page.setViewport({ width: 1280, height: 800 });
      await options.getByRole('heading', { name: 'Activity' }).waitFor();
      const row = options.locator(`table.activity tbody tr.row[title*="${marker}"]`);
      await row.waitFor({ timeout: 10_000 });
      await expectAxeClean(page, 'options Activity');
      await row.click();
      const drawer = options.getByRole('region', { name: 'Request details' });
      await drawer.waitFor();
      expect(await drawer.textContent()).toContain('Alpha');
      await expectAxeClean(page, 'options Activity, details drawer');

      for (const [hash, label] of [
        ['usage', 'Usage'],
        ['projects', 'Projects'],
        ['sites', 'Sites'],
        ['keys', 'Keys'],
        ['settings', 'Settings'],
      ] as const) {
        await options.getByRole('link', { name: label }).click();
        await options.getByRole('heading', { name: label }).waitFor();
        expect(new URL(await options.url()).hash).toBe(`#${hash}`);
        await expectAxeClean(page, `options ${label}`);
      }
    });
  });
}
