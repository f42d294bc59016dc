// What `webRequest` tells an observer about a request after the extension's declarativeNetRequest
// rules acted on it, in each browser (issue 17 §0): the activity monitor attributes requests from
// this, so these tests pin the browser behaviour it relies on. For each mode the real extension
// attaches the credential; listeners added in the extension record every event for the request,
// and the assertions compare them with what the mock received. docs/attribution.md has the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsApiMock, RecordedRequest } from '../../mock/os-api-mock';
import { credentialsIn, type ExtensionDriver, type UiPage } from '../driver';
import { startPageServer, type PageServer } from '../page-server';
import { activate, addProject } from '../popup-actions';
import type { E2ETarget } from './target';

const KEY_H = 'PROBEkeyHeader00000000000000001';
const KEY_Q = 'PROBEkeyQuery000000000000000002';
const KEY_O = 'PROBEkeyOauth000000000000000003';
const SECRET_O = 'PROBEsecret0003';

/** One observed event, reduced to what attribution could use. */
export interface ProbeEvent {
  event: string;
  url: string;
  /** Request header names and values as reported (undefined when the event has none). */
  headers?: Record<string, string>;
  redirectUrl?: string;
}

type ProbeWindow = typeof globalThis & { __probe?: ProbeEvent[]; __probeOff?: () => void };

export function webRequestProbe(target: E2ETarget): void {
  let mock: OsApiMock;
  let pages: PageServer;
  let ext: ExtensionDriver;
  let popup: UiPage;
  let page: UiPage;

  beforeAll(async () => {
    mock = await target.startMock({
      projects: [
        { key: KEY_H, plan: 'dev' },
        { key: KEY_Q, plan: 'dev' },
        { key: KEY_O, secret: SECRET_O, plan: 'dev' },
      ],
    });
    pages = await startPageServer();
    ext = await target.launch(mock);
    popup = await ext.openPopup();
    await addProject(popup, { name: 'Header', key: KEY_H, mode: 'Key header' });
    await addProject(popup, { name: 'Query', key: KEY_Q, mode: 'Key query parameter' });
    await addProject(popup, { name: 'Bearer', key: KEY_O, secret: SECRET_O, mode: 'OAuth 2 bearer token' });
    page = await ext.newPage();
    await page.goto(pages.url('127.0.0.1', '/?probe'));
  });

  afterAll(async () => {
    await ext?.close();
    await pages?.close();
    await mock?.close();
  });

  /** Listen to every webRequest event for api.os.uk (Chrome: with and without 'extraHeaders'), fetch `url` from the page, return the events. */
  async function observe(url: string): Promise<{ events: ProbeEvent[]; received: RecordedRequest }> {
    await ext.inExtension(() => {
      const w = globalThis as ProbeWindow;
      w.__probeOff?.();
      const log: ProbeEvent[] = (w.__probe = []);
      const filter = { urls: ['https://api.os.uk/*'] };
      const headersOf = (h?: { name: string; value?: string }[]) =>
        h ? Object.fromEntries(h.map((x) => [x.name.toLowerCase(), x.value ?? ''])) : undefined;
      const offs: (() => void)[] = [];
      const on = (name: string, ev: unknown, spec: string[]) => {
        if (!ev) return;
        const fn = (d: { url: string; requestHeaders?: { name: string; value?: string }[]; redirectUrl?: string }) => {
          log.push({
            event: name,
            url: d.url,
            headers: headersOf(d.requestHeaders),
            ...(d.redirectUrl ? { redirectUrl: d.redirectUrl } : {}),
          });
        };
        try {
          (ev as unknown as { addListener(f: unknown, filter: unknown, spec?: string[]): void }).addListener(
            fn,
            filter,
            spec,
          );
        } catch {
          // 'extraHeaders' is Chrome-only: Firefox rejects the unknown option.
          return;
        }
        offs.push(() => (ev as unknown as { removeListener(f: unknown): void }).removeListener(fn));
      };
      const wr = chrome.webRequest as unknown as Record<string, unknown>;
      on('onBeforeRequest', wr.onBeforeRequest, []);
      on('onBeforeSendHeaders', wr.onBeforeSendHeaders, ['requestHeaders']);
      on('onBeforeSendHeaders+extraHeaders', wr.onBeforeSendHeaders, ['requestHeaders', 'extraHeaders']);
      on('onSendHeaders', wr.onSendHeaders, ['requestHeaders']);
      on('onSendHeaders+extraHeaders', wr.onSendHeaders, ['requestHeaders', 'extraHeaders']);
      on('onBeforeRedirect', wr.onBeforeRedirect, []);
      on('onCompleted', wr.onCompleted, []);
      w.__probeOff = () => offs.forEach((f) => f());
    });
    const status = await page.evaluate(async (u) => (await fetch(u)).status, url);
    expect(status).toBe(200);
    const query = new URL(url).searchParams.get('query') ?? '';
    const received = await mock.waitForRequest((r) => r.query.query === query);
    let events: ProbeEvent[] = [];
    for (let i = 0; i < 50 && !events.some((e) => e.event === 'onCompleted'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      events = await ext.inExtension(() => (globalThis as ProbeWindow).__probe ?? []);
    }
    // Print the measurement: docs/attribution.md records it.
    console.log(
      `[${target.name}] ${url}\n${events.map((e) => `  ${e.event}: ${e.url}${e.redirectUrl ? ` -> ${e.redirectUrl}` : ''}${e.headers ? ` key=${e.headers.key ?? '-'} authorization=${e.headers.authorization ?? '-'}` : ''}`).join('\n')}`,
    );
    return { events, received };
  }

  const last = (events: ProbeEvent[], name: string) => events.filter((e) => e.event === name).at(-1);

  describe(`webRequest after the extension's rules (${target.name})`, () => {
    it('key header: onSendHeaders reports the key the rule added', async () => {
      await activate(popup, 'Header');
      await ext.waitForRules((r) => credentialsIn(r).includes(KEY_H), 'header rule');
      const { events, received } = await observe(`https://api.os.uk/search/names/v1/find?query=probe-h-${Date.now()}`);
      expect(last(events, 'onSendHeaders')?.headers?.key).toBe(KEY_H);
      expect(received.headers.key).toBe(KEY_H);
    });

    it('key query parameter: the request is redirected internally, and the final URL carries the key', async () => {
      await activate(popup, 'Query');
      await ext.waitForRules((r) => credentialsIn(r).includes(KEY_Q), 'query rule');
      const { events, received } = await observe(`https://api.os.uk/search/names/v1/find?query=probe-q-${Date.now()}`);
      expect(new URL(last(events, 'onSendHeaders')!.url).searchParams.get('key')).toBe(KEY_Q);
      expect(new URL(last(events, 'onCompleted')!.url).searchParams.get('key')).toBe(KEY_Q);
      expect(received.query.key).toBe(KEY_Q);
    });

    it('bearer token: onSendHeaders reports the Authorization header the rule added', async () => {
      await activate(popup, 'Bearer');
      await ext.waitForRules((r) => credentialsIn(r).some((c) => c.startsWith('Bearer ')), 'bearer rule');
      const { events, received } = await observe(`https://api.os.uk/search/names/v1/find?query=probe-b-${Date.now()}`);
      const sent = received.headers.authorization;
      expect(sent).toMatch(/^Bearer /);
      expect(last(events, 'onSendHeaders')?.headers?.authorization).toBe(sent);
    });
  });
}
