/**
 * The setup and teardown most Chromium end-to-end files share: the OS API mock, the page server
 * when asked, the built extension with its popup open, projects added and one made active, before
 * all of a file's tests; everything closed after them, in reverse order, each only if it started.
 *
 * `mock`, `ext`, `pages` and `popup` are live bindings (as in tests/fakes/background-prelude.ts):
 * a file imports them once and calls `sessionForThisFile` at its top level. Vitest gives each file
 * its own module graph, so files never share a session.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { startOsApiMock, type OsApiMock, type RecordedRequest, type StartOsApiMockOptions } from '../mock/os-api-mock';
import { credentialsIn, launchWithExtension, type ExtensionSession, type LaunchOptions } from './extension-harness';
import { startPageServer, type PageServer } from './page-server';
import { activate, addProject, type ModeLabel } from './popup-actions';

export let mock: OsApiMock;
export let ext: ExtensionSession;
export let pages: PageServer;
export let popup: Page;

export interface SessionOptions {
  mock: StartOsApiMockOptions;
  /** Start the page server (pages on localhost, 127.0.0.1 and other.test). */
  pages?: boolean;
  launch?: Omit<LaunchOptions, 'mockPort'>;
  /** Added through the popup, in order. */
  projects?: { name: string; key: string; secret?: string; mode: ModeLabel; badge?: string }[];
  /** Made active through the popup; setup waits until the rules attach this key. */
  active?: { name: string; key: string };
  /** Close the popup once setup is done (false: never open it; files that open their own pages). */
  keepPopup?: boolean;
}

export function sessionForThisFile(options: SessionOptions): void {
  beforeAll(async () => {
    mock = await startOsApiMock(options.mock);
    if (options.pages) pages = await startPageServer();
    ext = await launchWithExtension({ mockPort: mock.port, ...options.launch });
    if (options.keepPopup === false && !options.projects?.length) return;
    popup = await ext.openPopup();
    for (const project of options.projects ?? []) await addProject(popup, project);
    if (options.active) {
      const { name, key } = options.active;
      await activate(popup, name);
      await ext.waitForRules((r) => credentialsIn(r).includes(key), `${name} active`);
    }
    if (options.keepPopup === false) await popup.close();
  });
  afterAll(async () => {
    await ext?.close();
    await pages?.close();
    await mock?.close();
  });
}

/** Open a page-server page in a new tab and find its tab id (through the extension's worker). */
export async function openTab(host: string, marker: string): Promise<{ page: Page; tabId: number }> {
  const page = await ext.context.newPage();
  await page.goto(pages.url(host, marker));
  const worker = await ext.worker();
  const tabId =
    (await worker.evaluate(async (m) => (await chrome.tabs.query({})).find((t) => t.url?.endsWith(m))?.id, marker)) ??
    -1;
  expect(tabId).toBeGreaterThan(0);
  return { page, tabId };
}

/** Type an OS API URL (the mock's echo path, tagged) into a new tab: the request the mock received. */
export async function typedEchoRequest(tag: string): Promise<RecordedRequest> {
  const page = await ext.context.newPage();
  await page.goto(`https://api.os.uk/__echo?${tag}`).catch(() => undefined);
  const request = await mock.waitForRequest((r) => r.url.includes(tag));
  await page.close();
  return request;
}
