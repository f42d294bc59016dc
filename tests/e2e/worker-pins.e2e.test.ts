// A pinned tab and workers, end to end in Chromium (issue 14, item 4): requests from a service
// worker belong to no tab (tab id -1). While no tab is pinned, a local page's worker gets the
// active project's key like the page; while any tab is pinned, it gets nothing, so a worker can
// never send one project's key for a page pinned to another. Asserts what the mock received.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ext, mock, pages, popup, sessionForThisFile } from './session-fixture';

const KEY = 'WORKERPINKEY00000000000000001';
const OTHER_KEY = 'WORKERPINKEY00000000000000002';

let page: Page;
let n = 0;

sessionForThisFile({
  mock: {
    projects: [
      { key: KEY, plan: 'live' },
      { key: OTHER_KEY, plan: 'live' },
    ],
  },
  pages: true,
  projects: [
    { name: 'Active', key: KEY, mode: 'Key header' },
    { name: 'Pinned', key: OTHER_KEY, mode: 'Key header' },
  ],
  active: { name: 'Active', key: KEY },
});

beforeAll(async () => {
  page = await ext.context.newPage();
  await page.goto(pages.url('127.0.0.1', '/worker-page'));
  // Register the worker and wait until it controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
});

/** Have the page's service worker fetch an OS API URL: the status it saw and the key header the mock received. */
async function workerFetch(): Promise<{ status: unknown; key: string | undefined }> {
  const tag = `worker-${Date.now()}-${++n}`;
  const reply = await page.evaluate(async (url) => {
    const answer = new Promise<unknown>((r) =>
      navigator.serviceWorker.addEventListener('message', (e) => r(e.data), { once: true }),
    );
    (await navigator.serviceWorker.ready).active!.postMessage({ url });
    return answer;
  }, `https://api.os.uk/__echo?${tag}`);
  const request = await mock.waitForRequest((r) => r.url.includes(tag), 10_000);
  return { status: (reply as { status?: unknown }).status, key: request.headers.key };
}

async function tabIdOf(p: Page): Promise<number> {
  const url = p.url();
  const id = await (
    await ext.worker()
  ).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
  if (id === undefined) throw new Error(`no tab for ${url}`);
  return id;
}

async function send(type: string, args: object): Promise<unknown> {
  return popup.evaluate(async (m) => chrome.runtime.sendMessage<unknown, unknown>(m), {
    channel: 'os-api-keyring',
    type,
    args,
  });
}

describe('service workers and pinned tabs (Chromium)', () => {
  it('with no tab pinned, a local page’s service worker gets the active project’s key', async () => {
    expect(await workerFetch()).toEqual({ status: 200, key: KEY });
  });

  it('while a tab is pinned, the service worker gets no key at all; unpinned, the active key again', async () => {
    const other = await ext.context.newPage();
    await other.goto(pages.url('127.0.0.1', `/pinned-${Date.now()}`));
    const otherTab = await tabIdOf(other);
    const projectId = await popup.evaluate(async () => {
      const reply = await chrome.runtime.sendMessage<unknown, { value: { projects: { id: string; name: string }[] } }>({
        channel: 'os-api-keyring',
        type: 'getState',
        args: {},
      });
      return reply.value.projects.find((p) => p.name === 'Pinned')!.id;
    });
    await send('pinTab', { tabId: otherTab, projectId });
    await ext.waitForRules(
      (r) => r.some((x) => x.condition.excludedTabIds?.includes(-1)),
      'tab -1 excluded while pinned',
    );
    // No credential at all: the mock answers 401.
    expect(await workerFetch()).toEqual({ status: 401, key: undefined });
    // Meanwhile the worker's own page (its tab not pinned) still gets the active key, and the pinned
    // tab its project's: only requests of no tab are left without.
    const pageKey = async (p: Page) => {
      const tag = `page-${Date.now()}-${++n}`;
      await p.evaluate(async (u) => void (await fetch(u)), `https://api.os.uk/__echo?${tag}`);
      return (await mock.waitForRequest((r) => r.url.includes(tag))).headers.key;
    };
    expect(await pageKey(page)).toBe(KEY);
    expect(await pageKey(other)).toBe(OTHER_KEY);

    await send('unpinTab', { tabId: otherTab });
    await ext.waitForRules((r) => !r.some((x) => x.condition.excludedTabIds), 'no pin');
    expect(await workerFetch()).toEqual({ status: 200, key: KEY });
    await other.close();
  });
});
