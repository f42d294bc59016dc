/** The driver-neutral page and element API (driver.ts) as a pass-through to Playwright. */
import type { Locator, Page } from 'playwright-core';
import type { Role, RoleOptions, UiElement, UiPage } from './driver';

export function playwrightElement(locator: Locator): UiElement {
  return {
    getByRole: (role: Role, options?: RoleOptions) => playwrightElement(locator.getByRole(role, options)),
    first: () => playwrightElement(locator.first()),
    click: () => locator.click(),
    fill: (value) => locator.fill(value),
    check: () => locator.check(),
    isChecked: () => locator.isChecked(),
    isVisible: () => locator.isVisible(),
    textContent: (options) => locator.textContent(options),
    waitFor: (options) => locator.waitFor(options),
    count: () => locator.count(),
  };
}

/** Whether `p` is a Playwright page rather than an already wrapped UiPage. */
export function isPlaywrightPage(p: Page | UiPage): p is Page {
  return typeof (p as Page).context === 'function';
}

export function playwrightUi(page: Page, screenshot?: (page: Page, name: string) => Promise<void>): UiPage {
  return {
    getByRole: (role, options) => playwrightElement(page.getByRole(role, options)),
    getByLabel: (label) => playwrightElement(page.getByLabel(label)),
    getByText: (text) => playwrightElement(page.getByText(text)),
    locator: (css) => playwrightElement(page.locator(css)),
    async goto(url) {
      const response = await page.goto(url);
      return { status: response?.status() ?? null };
    },
    url: () => Promise.resolve(page.url()),
    reload: async () => void (await page.reload()),
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) => page.evaluate<R>(fn as never, arg as never),
    waitForFunction: async (fn, arg, options) => void (await page.waitForFunction(fn as never, arg as never, options)),
    bringToFront: () => page.bringToFront(),
    screenshot: async (name) => {
      if (!screenshot) throw new Error('no screenshot function given');
      await screenshot(page, name);
    },
    close: () => page.close(),
  };
}
