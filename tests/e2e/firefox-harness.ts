/**
 * Launches Debian's Firefox ESR headless with the built extension (dist/firefox), driven by
 * puppeteer-core over WebDriver BiDi: no geckodriver (docs/firefox.md, "Tests", says how to run it).
 *
 * How it differs from the Chromium harness (extension-harness.ts):
 * - Firefox has no --host-resolver-rules. `network.dns.forceResolve` sends every host name to
 *   127.0.0.1, so the OS API mock must listen on 443 and the page server's port is kept in its URLs.
 * - The extension is installed as a temporary add-on through BiDi `webExtension.install`.
 * - Its origin is moz-extension://<UUID>, a per-install random UUID. The
 *   `extensions.webextensions.uuids` pref fixes it before install, so the popup URL is known.
 * - WebDriver BiDi refuses to navigate to moz-extension: URLs unless Firefox runs with
 *   --remote-allow-system-access, and puppeteer then never sees the navigation finish (the page
 *   loads in the extension process), so extension pages are opened with the BiDi command directly.
 * - The background page is not reachable over BiDi; `inExtension` runs code in an extension page
 *   instead (same origin, same APIs).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import type { DnrRule } from '../../src/core/dnr-rule';
import { GECKO_ID } from '../../manifest.config';
import { startMockOnFixedPort, type E2ETarget } from './scenarios/target';
import { pollRules, type ExtensionDriver, type Role, type RoleOptions, type UiElement, type UiPage } from './driver';
import { firefoxPath } from '../../scripts/browser-paths.mjs';

export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/firefox');

/** Fixed so tests know the extension's origin; any UUID works. */
export const EXTENSION_UUID = '0b5e6f7a-4c3d-4e2f-9a1b-6c7d8e9f0a1b';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
export const POPUP_URL = `${EXTENSION_ORIGIN}/src/popup/index.html`;

/** Where Firefox expects the OS API (and every other https host): forceResolve cannot map ports. */
export const FIREFOX_MOCK_PORT = 443;

const DEFAULT_TIMEOUT = 10_000;

export { firefoxPath };

// --- elements: the UiElement contract on puppeteer's ARIA, text and CSS queries --------------------

type Step =
  | { kind: 'role'; role: Role; name?: string }
  | { kind: 'css'; selector: string }
  | { kind: 'label'; label: string }
  | { kind: 'first' };

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * All current matches of `steps`. Role queries use puppeteer's `::-p-aria`, answered by Firefox's
 * accessibility tree (BiDi locateNodes). Names match exactly: the scenarios only use full names.
 */
async function resolveAll(page: Page, steps: Step[]): Promise<ElementHandle[]> {
  let scopes: (Page | ElementHandle)[] = [page];
  for (const step of steps) {
    if (step.kind === 'first') {
      scopes = scopes.slice(0, 1);
      continue;
    }
    const next: ElementHandle[] = [];
    for (const scope of scopes) {
      if (step.kind === 'label') {
        // <label for> → the labelled control (the password field has no textbox role to query by).
        const id = await scope.$$eval(
          'label',
          (labels, text) => labels.find((l) => l.textContent?.trim() === text)?.htmlFor ?? null,
          step.label,
        );
        const el = id ? await scope.$(`[id=${quote(id)}]`) : null;
        if (el) next.push(el);
        continue;
      }
      const selector =
        step.kind === 'css'
          ? step.selector
          : `::-p-aria([role=${quote(step.role)}]${step.name !== undefined ? `[name=${quote(step.name)}]` : ''})`;
      next.push(...(await scope.$$(selector)));
    }
    scopes = next;
  }
  return scopes as ElementHandle[];
}

function describeSteps(steps: Step[]): string {
  return steps
    .map((s) =>
      s.kind === 'role'
        ? `${s.role}${s.name !== undefined ? ` "${s.name}"` : ''}`
        : s.kind === 'css'
          ? s.selector
          : s.kind === 'label'
            ? `label "${s.label}"`
            : 'first',
    )
    .join(' → ');
}

async function until<T>(what: string, timeout: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeout} ms: ${what}${lastError instanceof Error ? ` (${lastError.message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

function puppeteerElement(page: Page, steps: Step[]): UiElement {
  const what = describeSteps(steps);
  /** The single match (strict, like a Playwright locator), waiting for it to exist. */
  const one = (timeout = DEFAULT_TIMEOUT) =>
    until(what, timeout, async () => {
      const all = await resolveAll(page, steps);
      if (all.length > 1) throw new Error(`strict mode violation: ${all.length} elements match ${what}`);
      return all[0];
    });
  const checked = (el: ElementHandle) =>
    el.evaluate((node) => (node as HTMLInputElement).checked === true || node.getAttribute('aria-checked') === 'true');
  return {
    getByRole: (role, options) =>
      puppeteerElement(page, [
        ...steps,
        { kind: 'role', role, ...(options?.name !== undefined ? { name: options.name } : {}) },
      ]),
    first: () => puppeteerElement(page, [...steps, { kind: 'first' }]),
    click: async () => (await one()).click(),
    async fill(value) {
      const el = await one();
      // What Playwright's fill does for a text field: set the value, fire input and change.
      await el.evaluate((node, v) => {
        const input = node as HTMLInputElement;
        input.focus();
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }, value);
    },
    async check() {
      const el = await one();
      if (await checked(el)) return;
      await el.click();
      await until(`${what} to be checked`, 2_000, async () => ((await checked(el)) ? true : undefined));
    },
    isChecked: async () => checked(await one()),
    isVisible: async () => {
      const all = await resolveAll(page, steps);
      return all.length === 1 && (await all[0]!.isVisible());
    },
    textContent: async (options) => (await one(options?.timeout)).evaluate((node) => node.textContent),
    async waitFor(options) {
      const state = options?.state ?? 'visible';
      await until(`${what} to be ${state}`, options?.timeout ?? DEFAULT_TIMEOUT, async () => {
        const all = await resolveAll(page, steps);
        if (state === 'detached') return all.length === 0 ? true : undefined;
        if (all.length > 1) throw new Error(`strict mode violation: ${all.length} elements match ${what}`);
        if (!all[0]) return undefined;
        return state === 'attached' || (await all[0].isVisible()) ? true : undefined;
      });
    },
    count: async () => (await resolveAll(page, steps)).length,
  };
}

/**
 * Poll `fn` in the page until it returns something truthy. Not puppeteer's waitForFunction: that
 * compiles the predicate with `new Function` inside the page, which an extension page's CSP
 * refuses in Firefox 140 (153 lets WebDriver's own evaluation through).
 */
async function pollInPage<A>(page: Page, fn: (arg: A) => unknown, arg: A, timeout = DEFAULT_TIMEOUT): Promise<void> {
  await until(`page condition ${fn.toString().slice(0, 80)}`, timeout, async () =>
    (await page.evaluate(fn as never, arg as never)) ? true : undefined,
  );
}

function puppeteerUi(page: Page, screenshotDir: string): UiPage {
  return {
    getByRole: (role: Role, options?: RoleOptions) =>
      puppeteerElement(page, [{ kind: 'role', role, ...(options?.name !== undefined ? { name: options.name } : {}) }]),
    getByLabel: (label) => puppeteerElement(page, [{ kind: 'label', label }]),
    getByText: (text) => puppeteerElement(page, [{ kind: 'css', selector: `::-p-text(${text})` }]),
    locator: (css) => puppeteerElement(page, [{ kind: 'css', selector: css }]),
    async goto(url) {
      try {
        const response = await page.goto(url);
        return { status: response?.status() ?? null };
      } catch (err) {
        // A DNR redirect of a top-level load (key query parameter mode) sometimes reaches BiDi as a
        // second navigation interrupting the first; the redirected page itself loads normally.
        if (!(err instanceof Error) || !err.message.includes('A new navigation interrupted an unfinished navigation'))
          throw err;
        const target = url.split(/[?#]/)[0]!;
        await pollInPage(page, (t) => location.href.startsWith(t) && document.readyState === 'complete', target);
        return { status: null };
      }
    },
    url: () => page.evaluate(() => location.href),
    async reload() {
      await page.evaluate(() => location.reload());
      await pollInPage(
        page,
        () => document.readyState === 'complete' && document.querySelector('h1') !== null,
        undefined,
      );
    },
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) => page.evaluate(fn as never, arg as never) as Promise<R>,
    waitForFunction: (fn, arg, options) => pollInPage(page, fn, arg, options?.timeout),
    bringToFront: () => page.bringToFront(),
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true });
      const main = await page.$('main');
      if (!main) throw new Error('no <main> to screenshot');
      await main.screenshot({ path: `${join(screenshotDir, name)}.png` });
    },
    close: () => page.close(),
  };
}

// --- the browser ---------------------------------------------------------------------------------

/**
 * Load an extension page in `page`. puppeteer's goto would wait for navigation events that never
 * come for moz-extension: pages, so send BiDi's browsingContext.navigate (wait: complete) itself.
 */
export async function openExtensionPage(page: Page, url: string): Promise<void> {
  const context = (
    page.mainFrame() as unknown as { browsingContext?: { navigate(url: string, wait: string): Promise<void> } }
  ).browsingContext;
  if (!context)
    throw new Error('puppeteer-core internals changed: no browsingContext on the main frame (see firefox-harness.ts)');
  await context.navigate(url, 'complete');
  await pollInPage(
    page,
    (origin: string) => location.origin === origin && document.readyState === 'complete',
    EXTENSION_ORIGIN,
  );
}

export interface FirefoxSession extends ExtensionDriver {
  browser: Browser;
  /**
   * Open an extension page (a path such as `src/options/index.html#activity`) in a new tab: the
   * driver-neutral page, and puppeteer's own for what that lacks (viewport, axe-core, screenshots).
   */
  openExtensionPage(path: string): Promise<{ ui: UiPage; page: Page }>;
  /** The add-on ID Firefox reports (the manifest's gecko id). */
  addonId: string;
}

export async function launchFirefoxWithExtension(
  options: { prefs?: Record<string, unknown> } = {},
): Promise<FirefoxSession> {
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json')))
    throw new Error(`No built extension at ${FIREFOX_EXTENSION_DIR}: run \`npm run build\` first.`);
  const screenshotDir = resolve('test-results/screenshots/firefox');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    acceptInsecureCerts: true,
    defaultViewport: { width: 420, height: 640 },
    args: ['--remote-allow-system-access'],
    // Puppeteer's 30 s default for Firefox to print its WebDriver BiDi endpoint was once too short
    // on a loaded 2-core CI machine (the file then failed before any test ran); 60 s is still a stall guard.
    timeout: 60_000,
    extraPrefsFirefox: {
      'network.dns.forceResolve': '127.0.0.1',
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      // permissions.request grants without a door-hanger nobody can click in headless Firefox.
      'extensions.webextOptionalPermissionPrompts': false,
      // Plain-http test pages on made-up hosts (other.test) without an https attempt first.
      'dom.security.https_first': false,
      ...options.prefs,
    },
  });
  try {
    const addonId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    if (addonId !== GECKO_ID) throw new Error(`installed add-on has id ${addonId}, expected ${GECKO_ID}`);
    const ui = (page: Page) => puppeteerUi(page, screenshotDir);

    // A tab on an extension page where tests run extension code ("the background" for tests).
    const consolePage = await browser.newPage();
    await openExtensionPage(consolePage, POPUP_URL);
    const inExtension = <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> =>
      consolePage.evaluate(fn as never, arg as never);
    const rules = () => inExtension(() => chrome.declarativeNetRequest.getSessionRules()) as Promise<DnrRule[]>;
    // Like onInstalled in Chromium: let the background's start-up reconcile finish.
    await inExtension(async () => {
      for (let i = 0; i < 100; i++) {
        try {
          const reply = await chrome.runtime.sendMessage({ channel: 'os-api-keyring', type: 'getState', args: {} });
          if (reply) return;
        } catch {
          /* background not listening yet */
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the background never answered');
    });

    return {
      browserName: 'firefox',
      browser,
      addonId,
      async openPopup() {
        const page = await browser.newPage();
        await openExtensionPage(page, POPUP_URL);
        const popup = ui(page);
        await popup.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
        return popup;
      },
      newPage: async () => ui(await browser.newPage()),
      async openExtensionPage(path) {
        const page = await browser.newPage();
        await openExtensionPage(page, `${EXTENSION_ORIGIN}/${path}`);
        return { ui: ui(page), page };
      },
      inExtension,
      rules,
      waitForRules: (predicate, what, timeoutMs) => pollRules(rules, predicate, what, timeoutMs),
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** Firefox as a target for the shared scenarios (tests/e2e/scenarios). */
export const firefoxTarget: E2ETarget<FirefoxSession> = {
  name: 'firefox',
  startMock: (options) => startMockOnFixedPort(FIREFOX_MOCK_PORT, options),
  launch: () => launchFirefoxWithExtension(),
};
