/**
 * What the shared end-to-end scenarios (tests/e2e/scenarios/) need from a browser, whichever
 * browser it is: Chromium driven by Playwright (chromium-driver.ts) or Firefox driven by
 * puppeteer-core over WebDriver BiDi (firefox-harness.ts).
 *
 * The element API is the small part of Playwright's locator API the scenarios use, so the
 * Chromium side is a thin pass-through and keeps Playwright's semantics (strict locators, role and
 * accessible-name queries); the Firefox side implements the same contract on puppeteer's ARIA
 * queries, which Firefox answers from its own accessibility tree.
 */
import type { DnrRule } from '../../src/core/dnr-rule';

export type BrowserName = 'chromium' | 'firefox';

export type Role =
  'alert' | 'button' | 'checkbox' | 'heading' | 'link' | 'radio' | 'radiogroup' | 'region' | 'status' | 'textbox';

export interface RoleOptions {
  name?: string;
  /** Playwright's meaning: without it a name matches as a case-insensitive substring. */
  exact?: boolean;
}

/** A lazy query, resolved on every call, like a Playwright Locator. Strict: acting on several matches fails. */
export interface UiElement {
  getByRole(role: Role, options?: RoleOptions): UiElement;
  first(): UiElement;
  click(): Promise<void>;
  fill(value: string): Promise<void>;
  check(): Promise<void>;
  isChecked(): Promise<boolean>;
  isVisible(): Promise<boolean>;
  /** Waits (up to `timeout`, default 5 s) for the element, then returns its text. */
  textContent(options?: { timeout?: number }): Promise<string | null>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible'; timeout?: number }): Promise<void>;
  count(): Promise<number>;
}

/** A tab: a web page, or the popup page opened in a tab. */
export interface UiPage {
  getByRole(role: Role, options?: RoleOptions): UiElement;
  getByLabel(label: string): UiElement;
  getByText(text: string): UiElement;
  locator(css: string): UiElement;
  /** Top-level navigation; resolves with the main response's status (null when there is none). */
  goto(url: string): Promise<{ status: number | null }>;
  url(): Promise<string>;
  reload(): Promise<void>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number }): Promise<void>;
  /** Background tabs get no animation frames (and throttled timers): bring the one being driven forward. */
  bringToFront(): Promise<void>;
  /** Screenshot of the popup's <main> (see savePopupScreenshot). */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface ExtensionDriver {
  browserName: BrowserName;
  /** Open the popup page in a tab (a real toolbar popup cannot be clicked headless). */
  openPopup(): Promise<UiPage>;
  newPage(): Promise<UiPage>;
  /**
   * Run `fn` inside the extension: in Chromium its service worker, in Firefox an extension page
   * (the background page is not reachable over WebDriver BiDi). Either way the extension's origin
   * is the initiator of any request it makes.
   */
  inExtension<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  inExtension<R>(fn: () => R | Promise<R>): Promise<R>;
  /** Session rules as installed in the browser. */
  rules(): Promise<DnrRule[]>;
  /** Poll until the installed rules satisfy `predicate`. */
  waitForRules(predicate: (rules: DnrRule[]) => boolean, what: string, timeoutMs?: number): Promise<DnrRule[]>;
  close(): Promise<void>;
}

/** Credential values attached by installed rules (header values and query values). */
export function credentialsIn(rules: DnrRule[]): string[] {
  return [
    ...new Set(
      rules.flatMap((r) =>
        r.action.type === 'modifyHeaders'
          ? r.action.requestHeaders.map((h) => h.value ?? '')
          : r.action.type === 'redirect'
            ? (r.action.redirect.transform?.queryTransform.addOrReplaceParams ?? []).map((p) => p.value)
            : [],
      ),
    ),
  ];
}

/** Shared by both drivers: poll `rules` until `predicate` holds. */
export async function pollRules(
  rules: () => Promise<DnrRule[]>,
  predicate: (r: DnrRule[]) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<DnrRule[]> {
  const deadline = Date.now() + timeoutMs;
  let last: DnrRule[] = [];
  while (Date.now() < deadline) {
    last = await rules();
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for rules: ${what}. Installed: ${JSON.stringify(last.map((r) => r.id))}`);
}
