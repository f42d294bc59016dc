/**
 * Launches Debian's Chromium with the built extension (dist/chrome) and the OS API host mapped
 * to the repo's local mock (tests/mock; what it mirrors of OS is in docs/os-apis.md). Each browser
 * quirk is explained where the code below works around it.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { DnrRule } from '../../src/core/dnr-rule';
import { chromiumPath } from '../../scripts/browser-paths.mjs';
import { pollRules } from './driver';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/chrome');

export { chromiumPath };

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  /** The current service worker (a new one after the old one is stopped). */
  worker(): Promise<Worker>;
  /**
   * Stop the extension's service worker the way Chromium does when it is idle, and wait until
   * Chromium reports it stopped. Uses chrome://serviceworker-internals: in Chromium 156 the CDP
   * route (`ServiceWorker.stopAllWorkers` from an extension page, or `Target.closeTarget` on the
   * worker) reports success but leaves the extension's worker running.
   */
  stopWorker(): Promise<void>;
  /** "RUNNING", "STOPPED", … as chrome://serviceworker-internals shows it. */
  workerStatus(): Promise<string>;
  /** Open the popup page in a tab (the real toolbar popup cannot be clicked headless). */
  openPopup(): Promise<Page>;
  /** Open the options page ("Activity and settings") in a tab, as the browser does. */
  openOptions(): Promise<Page>;
  /** Session rules as installed in the browser. */
  rules(): Promise<DnrRule[]>;
  /** Poll until the installed rules satisfy `predicate`. */
  waitForRules(predicate: (rules: DnrRule[]) => boolean, what: string, timeoutMs?: number): Promise<DnrRule[]>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  mockPort: number;
  userDataDir?: string;
  /** More Chromium switches, after the harness's own (e.g. a software WebGL renderer for MapLibre). */
  extraArgs?: string[];
  /**
   * Test stand-ins for grants a person gives by hand: the extension is loaded from a copy whose
   * manifest also has these. `tabs` stands in for the activeTab grant of a toolbar click (tab
   * URLs visible to the popup); a host permission stands in for accepting the browser's prompt,
   * which cannot be clicked headless (permissions.request then resolves at once).
   */
  grantForTests?: { permissions?: string[]; hostPermissions?: string[] };
}

export async function launchWithExtension(options: LaunchOptions): Promise<ExtensionSession> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json')))
    throw new Error(`No built extension at ${EXTENSION_DIR}: run \`npm run build\` first.`);
  const extensionDir = options.grantForTests ? patchedCopy(options.grantForTests) : EXTENSION_DIR;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'keyring-e2e-'));
  const hosts = ['api.os.uk', 'example.test', 'blob.test'];
  const resolverRules = [
    ...hosts.map((h) => `MAP ${h} 127.0.0.1:${options.mockPort}`),
    // Without a port the URL's own port is kept: other.test:<page port> reaches the page server.
    'MAP other.test 127.0.0.1',
  ].join(', ');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 420, height: 640 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--host-resolver-rules=${resolverRules}`,
      // Needed for the extension's own fetches too; ignoreHTTPSErrors covers pages only.
      '--ignore-certificate-errors',
      '--disable-gpu',
      '--disable-quic',
      ...(options.extraArgs ?? []),
    ],
  });
  const first = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(first.url()).host;

  async function worker(): Promise<Worker> {
    const live = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    const current = live.at(-1);
    if (current) return current;
    return context.waitForEvent('serviceworker', { timeout: 10_000 });
  }

  async function rules(): Promise<DnrRule[]> {
    return (await worker()).evaluate(() => chrome.declarativeNetRequest.getSessionRules()) as Promise<DnrRule[]>;
  }

  function waitForRules(predicate: (r: DnrRule[]) => boolean, what: string, timeoutMs = 5_000): Promise<DnrRule[]> {
    return pollRules(rules, predicate, what, timeoutMs);
  }

  // One chrome://serviceworker-internals tab, kept open (it updates itself): opening or closing a
  // tab would fire tabs events, which wake the worker again when the background listens to them.
  let internals: Page | null = null;
  async function withInternals<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    if (!internals || internals.isClosed()) {
      internals = await context.newPage();
      await internals.goto('chrome://serviceworker-internals/');
    }
    return fn(internals);
  }
  const registration = (page: Page) =>
    page.locator('.serviceworker-registration', { hasText: `chrome-extension://${extensionId}/` });
  const statusOf = async (page: Page) =>
    ((await registration(page).locator('.serviceworker-running-status .value').first().textContent()) ?? '').trim();

  return {
    context,
    extensionId,
    userDataDir,
    worker,
    workerStatus: () => withInternals(statusOf),
    stopWorker: () =>
      withInternals(async (page) => {
        await registration(page).locator('cr-button[data-command="stop"]').first().click();
        const deadline = Date.now() + 5_000;
        while ((await statusOf(page)) !== 'STOPPED') {
          if (Date.now() > deadline) throw new Error(`service worker did not stop (status ${await statusOf(page)})`);
          await page.waitForTimeout(50);
        }
      }),
    async openPopup() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
      await page.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
      return page;
    },
    async openOptions() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
      await page.getByRole('heading', { name: 'OS API Keyring: activity and settings' }).waitFor();
      return page;
    },
    rules,
    waitForRules,
    async close() {
      await context.close();
      if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Re-exported from the driver-neutral module, where the Firefox harness shares it. */
export { credentialsIn } from './driver';

/**
 * Save a screenshot of the popup's content to test-results/screenshots, or to SCREENSHOT_DIR
 * (`npm run screenshots` points it at docs/images, which the README shows).
 */
export async function savePopupScreenshot(popup: Page, name: string, selector = 'main'): Promise<void> {
  const dir = resolve(process.env.SCREENSHOT_DIR ?? 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  await popup.locator(selector).screenshot({ path: join(dir, `${name}.png`) });
}

/** A copy of the built extension whose manifest grants more, for `grantForTests`. */
function patchedCopy(grant: { permissions?: string[]; hostPermissions?: string[] }): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyring-ext-'));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    permissions?: string[];
    host_permissions?: string[];
  };
  manifest.permissions = [...(manifest.permissions ?? []), ...(grant.permissions ?? [])];
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...(grant.hostPermissions ?? [])];
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}
