// The activity monitor in the background, against the fake browser: what is recorded for each
// request (project, mode or the reason for none), usage, alerts and the badge, settings, Check
// access, and that no stored record ever holds a key.
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_SESSION_KEY,
  activityBlockKey,
  ALERTS_SESSION_KEY,
  DAILY_STORAGE_KEY,
  MONITOR_SESSION_KEY,
} from '../../../src/background/activity-monitor';
import type { MessageMap } from '../../../src/core/messages';
import { MS_PER_DAY } from '../../../src/core/calendar';
import { WARNING_BADGE_COLOUR } from '../../../src/core/toolbar';
import { type FakeRequest } from '../../fakes/fake-browser';
import { settle } from '../../fakes/settle';
import { env, fake, freshBackgroundEachTest, send, start } from '../../fakes/background-prelude';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const OTHER_KEY = 'ZyXwVuTsRqPoNmLkJiHgFeDcBa987654';
const TILE = 'https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png';
const LOCAL = 'http://localhost:5173';

freshBackgroundEachTest({ started: true });

async function project(
  name: string,
  key: string,
  authMode: 'header' | 'query' | 'oauth' = 'header',
  activate = true,
): Promise<string> {
  const { id } = await send('saveProject', { name, key, secret: authMode === 'oauth' ? 'SECRET' : '', authMode });
  if (activate) await send('setActiveProject', { id });
  return id;
}

/** Requests observed by the browser, then everything they cause settled. */
async function requests(...list: FakeRequest[]): Promise<void> {
  for (const r of list) fake.observeRequest({ start: env.time, initiator: LOCAL, ...r });
  await settle();
}

const rows = async (args: MessageMap['getActivity']['args'] = {}) => (await send('getActivity', args)).rows;

describe('activity log', () => {
  it('records a page request with the project and mode the rules gave it', async () => {
    const id = await project('Alpha', KEY);
    await requests({ url: TILE, status: 200, type: 'image', tabId: 7, durationMs: 42 });
    const [row] = await rows();
    expect(row).toMatchObject({
      seq: 1,
      method: 'GET',
      api: 'maps-raster',
      label: 'OS Maps API',
      path: '/maps/raster/v1/zxy/Light_3857/7/63/42.png',
      status: 200,
      durationMs: 42,
      projectId: id,
      projectName: 'Alpha',
      mode: 'header',
      tabId: 7,
      initiator: LOCAL,
      explanation: null,
    });
    expect(row?.reasonNone).toBeUndefined();
  });

  it('says why no credential was attached: Off, site not allowed, locked', async () => {
    await requests({ url: TILE, status: 401 });
    expect((await rows())[0]).toMatchObject({
      projectId: null,
      mode: null,
      reasonNone: 'off',
      explanation: { title: 'No API key was sent' },
    });

    await project('Alpha', KEY);
    await requests({ url: TILE, status: 401, initiator: 'https://codepen.io' });
    const [notAllowed] = await rows();
    expect(notAllowed).toMatchObject({ reasonNone: 'site-not-allowed', initiator: 'https://codepen.io' });
    expect(notAllowed?.explanation?.detail).toContain('not one the keyring may add credentials for');

    // A typed URL (navigation, no initiator) from anywhere gets the key.
    await requests({ url: TILE, status: 200, type: 'main_frame', initiator: '' });
    expect((await rows())[0]).toMatchObject({ mode: 'header', projectName: 'Alpha' });

    await send('enableLock', { passphrase: 'correct horse battery' });
    await send('lockNow', {});
    await requests({ url: TILE, status: 401 });
    expect((await rows())[0]).toMatchObject({ projectId: null, reasonNone: 'locked' });
  });

  it('Key header and OAuth modes: a placeholder key in the URL is removed before sending, and the log says so', async () => {
    await project('Alpha', KEY);
    const wire: { url: string; key?: string }[] = [];
    fake.webRequest.onSendHeaders.addListener(
      (d) =>
        wire.push({
          url: d.url,
          ...(d.requestHeaders?.find((h) => h.name === 'key')?.value
            ? { key: d.requestHeaders.find((h) => h.name === 'key')!.value! }
            : {}),
        }),
      { urls: ['https://api.os.uk/*'] },
      ['requestHeaders'],
    );
    await requests(
      { url: `${TILE}?key=KEY-FROM-EXTENSION`, status: 200, tabId: 4 },
      { url: `${TILE}?key=`, status: 200, tabId: 4 },
      { url: TILE, status: 200, tabId: 4 },
    );
    expect(wire).toEqual([
      { url: TILE, key: KEY },
      { url: TILE, key: KEY },
      { url: TILE, key: KEY },
    ]);
    const [plain, empty, placeholder] = await rows();
    expect(placeholder).toMatchObject({ mode: 'header', placeholderKeyRemoved: true });
    expect(empty).toMatchObject({ mode: 'header', placeholderKeyRemoved: true });
    expect(plain?.placeholderKeyRemoved).toBeUndefined();

    // Query mode replaces the placeholder with the key: nothing removed.
    await project('Beta', OTHER_KEY, 'query');
    await requests({ url: `${TILE}?key=KEY-FROM-EXTENSION`, status: 200 });
    expect(wire.at(-1)).toEqual({ url: `${TILE}?key=${OTHER_KEY}` });
    expect((await rows())[0]).toMatchObject({ mode: 'query' });
    expect((await rows())[0]?.placeholderKeyRemoved).toBeUndefined();
  });

  it('a percent-encoded placeholder name (%6Bey=) is removed too, and the log says so', async () => {
    await project('Alpha', KEY);
    const wire: { url: string; key?: string }[] = [];
    fake.webRequest.onSendHeaders.addListener(
      (d) => wire.push({ url: d.url, key: d.requestHeaders?.find((h) => h.name === 'key')?.value }),
      { urls: ['https://api.os.uk/*'] },
      ['requestHeaders'],
    );
    await requests({ url: `${TILE}?%6Bey=OLD&x=1`, status: 200, tabId: 4 });
    expect(wire).toEqual([{ url: `${TILE}?x=1`, key: KEY }]);
    expect((await rows())[0]).toMatchObject({ mode: 'header', placeholderKeyRemoved: true });
  });

  it('a tab pinned to another project is booked to that project', async () => {
    const a = await project('Alpha', KEY);
    const b = await project('Beta', OTHER_KEY, 'query', false);
    await send('pinTab', { tabId: 9, projectId: b });
    await requests({ url: `${TILE}?key=${OTHER_KEY}`, status: 200, tabId: 9 }, { url: TILE, status: 200, tabId: 3 });
    const [other, pinned] = await rows();
    expect(pinned).toMatchObject({ tabId: 9, projectId: b, mode: 'query' });
    expect(other).toMatchObject({ tabId: 3, projectId: a, mode: 'header' });
    // Filtered by tab, newest first, limited.
    expect((await rows({ tabId: 9 })).map((r) => r.projectName)).toEqual(['Beta']);
    await requests({ url: TILE, status: 200, tabId: 3 }, { url: TILE, status: 200, tabId: 3 });
    expect((await rows({ tabId: 3, limit: 2 })).map((r) => r.seq)).toEqual([4, 3]);
  });

  it('never stores a key: query keys in paths are redacted, in session and local storage alike', async () => {
    await project('Alpha', KEY, 'query');
    await requests(
      { url: `${TILE}?key=${KEY}`, status: 200 },
      { url: `https://api.os.uk/search/names/v1/find?query=x&key=${KEY}`, status: 429 },
    );
    await env.advance(2_000, settle); // the batched write
    const stored =
      JSON.stringify(
        [...fake.session.entries()].filter(
          ([k]) => k.startsWith(`${ACTIVITY_SESSION_KEY}.`) || k === MONITOR_SESSION_KEY || k === ALERTS_SESSION_KEY,
        ),
      ) + JSON.stringify(fake.local.get(DAILY_STORAGE_KEY));
    expect(stored).toContain('/maps/raster/v1/zxy/Light_3857/7/63/42.png');
    expect(stored).not.toContain(KEY);
    expect((await rows())[1]?.path).toBe('/maps/raster/v1/zxy/Light_3857/7/63/42.png?key=…redacted…');
    expect(JSON.stringify(await send('getActivity', {}))).not.toContain(KEY);
    expect(JSON.stringify(await send('getMonitoring', {}))).not.toContain(KEY);
  });

  it('books a request to the credential it was sent with, even if the project was switched before it completed (issue 17)', async () => {
    const a = await project('Alpha', KEY);
    const b = await project('Beta', OTHER_KEY, 'query', false);
    const inFlight = fake.startRequest({ url: TILE, status: 200, start: env.time, initiator: LOCAL });
    await settle();
    await send('setActiveProject', { id: b });
    await settle();
    inFlight.complete();
    await requests({ url: TILE, status: 200 });
    const [after, before] = await rows();
    expect(before).toMatchObject({ projectId: a, mode: 'header', path: '/maps/raster/v1/zxy/Light_3857/7/63/42.png' });
    expect(after).toMatchObject({
      projectId: b,
      mode: 'query',
      path: '/maps/raster/v1/zxy/Light_3857/7/63/42.png?key=…redacted…',
    });
    const usage = (await send('getMonitoring', {})).projects.map((p) => [
      p.name,
      p.usage.find((u) => u.api === 'maps-raster')?.count,
    ]);
    expect(usage).toEqual([
      ['Alpha', 1],
      ['Beta', 1],
    ]);
  });

  it('a page that sends a key itself: a project\'s key is booked to it, any other key is "the page\'s own"', async () => {
    const a = await project('Alpha', KEY, 'header', false);
    await requests(
      { url: `${TILE}?key=${KEY}`, status: 200 },
      { url: TILE, status: 401, requestHeaders: [{ name: 'Key', value: 'NOTaKEYRINGkey000000000000000000' }] },
      {
        url: 'https://api.os.uk/search/names/v1/find?query=x',
        status: 200,
        requestHeaders: [{ name: 'Authorization', value: 'Bearer someoneElsesToken' }],
      },
    );
    const [bearer, foreign, own] = await rows();
    expect(own).toMatchObject({ projectId: a, mode: 'query' });
    expect(foreign).toMatchObject({ projectId: null, reasonNone: 'page-credential' });
    expect(bearer).toMatchObject({ projectId: null, reasonNone: 'page-credential' });
    expect(JSON.stringify(await send('getActivity', {}))).not.toContain('NOTaKEYRINGkey');
  });

  it('what never reached OS is not usage: a cache hit, a failure before sending, a network error', async () => {
    await project('Alpha', KEY);
    await requests(
      { url: TILE, status: 200, notSent: 'cache' },
      { url: TILE, status: 0, notSent: 'error' },
      { url: TILE, status: 0, error: 'net::ERR_CONNECTION_RESET' },
    );
    const [reset, failed, cached] = await rows();
    expect(cached).toMatchObject({ status: 200, projectId: null, reasonNone: 'not-sent' });
    expect(failed).toMatchObject({ status: 0, projectId: null, reasonNone: 'not-sent' });
    expect(reset).toMatchObject({ status: 0, mode: 'header', projectName: 'Alpha' }); // sent with the key, no answer
    expect((await send('getMonitoring', {})).projects[0]?.usage.every((u) => u.count === 0)).toBe(true);
  });

  it('a network error is recorded with status 0 and explained', async () => {
    await project('Alpha', KEY);
    await requests({ url: TILE, status: 0, error: 'net::ERR_CONNECTION_RESET' });
    expect((await rows())[0]).toMatchObject({ status: 0, explanation: { title: 'Network error' } });
  });

  it('survives a stopped worker; a browser restart clears the log but keeps the daily counts', async () => {
    const id = await project('Alpha', KEY);
    await requests({ url: TILE, status: 200 }, { url: TILE, status: 200 });
    await env.advance(2_000, settle);
    fake.killWorker();
    await start();
    expect((await rows()).map((r) => r.seq)).toEqual([2, 1]);
    await requests({ url: TILE, status: 200 });
    expect((await rows())[0]?.seq).toBe(3);
    await env.advance(2_000, settle);
    fake.restartBrowser();
    await start();
    expect(await rows()).toEqual([]);
    const daily = (await send('getMonitoring', {})).daily;
    expect(daily.flatMap((d) => Object.entries(d.counts[id] ?? {}))).toEqual([['maps-raster', 3]]);
  });

  it('a failed batched write to session storage loses at most that batch: requests keep being observed and later batches are stored', async () => {
    await project('Alpha', KEY);
    const seqs = async () => (await rows()).map((r) => r.seq);
    fake.failSessionWrites = new Error('QUOTA_BYTES quota exceeded');
    await requests({ url: TILE, status: 200 }, { url: TILE, status: 200 });
    await env.advance(2_000, settle);
    expect(fake.session.get(activityBlockKey(0))).toBeUndefined(); // the batch really failed to reach storage
    // Observation never waits on storage: the live worker still lists both.
    expect(await seqs()).toEqual([2, 1]);
    // Storage works again: the same worker's next batch is stored (it rewrites the whole block,
    // so the failed batch's records come back with it).
    fake.failSessionWrites = null;
    await requests({ url: TILE, status: 200 });
    await env.advance(2_000, settle);
    fake.killWorker();
    await start();
    expect(await seqs()).toEqual([3, 2, 1]);
    // A write that fails just before the worker stops loses that one batch (at most FLUSH_MS of records), nothing else.
    fake.failSessionWrites = new Error('QUOTA_BYTES quota exceeded');
    await requests({ url: TILE, status: 200 });
    await env.advance(2_000, settle);
    fake.killWorker();
    fake.failSessionWrites = null;
    await start();
    expect(await seqs()).toEqual([3, 2, 1]);
  });

  it('"Record activity" off stops observing; on again resumes', async () => {
    await project('Alpha', KEY);
    expect(await send('saveSettings', { recordActivity: false })).toMatchObject({ recordActivity: false });
    await settle();
    expect(fake.webRequest.onCompleted.listeners).toHaveLength(0);
    await requests({ url: TILE, status: 200 });
    expect((await send('getActivity', {})).recording).toBe(false);
    expect(await rows()).toEqual([]);
    await send('saveSettings', { recordActivity: true });
    await requests({ url: TILE, status: 200 });
    expect(await rows()).toHaveLength(1);
    // And a worker started with it off does not observe.
    await send('saveSettings', { recordActivity: false });
    fake.killWorker();
    await start();
    expect(fake.webRequest.onCompleted.listeners).toHaveLength(0);
  });

  it('keeps the newest 3,000 entries, stored in blocks that a restarted worker reads back in order', async () => {
    await project('Alpha', KEY, 'header');
    await requests(...Array.from({ length: 3_300 }, (_, i) => ({ url: `${TILE}?n=${i}`, status: 200 })));
    await env.advance(2_000, settle);
    const blocks = [...fake.session.keys()].filter((k) => k.startsWith(`${ACTIVITY_SESSION_KEY}.`));
    expect(blocks.length).toBeLessThanOrEqual(13);
    fake.killWorker();
    await start();
    const after = await rows();
    expect(after).toHaveLength(3_000);
    expect(after[0]?.path).toMatch(/n=3299$/);
    expect(after[2_999]?.path).toMatch(/n=300$/);
    await send('clearActivity', {});
    expect([...fake.session.keys()].filter((k) => k.startsWith(`${ACTIVITY_SESSION_KEY}.`))).toEqual([]);
  });

  it('"Record durations" off listens to one event per request: the time is the end, the duration blank', async () => {
    await project('Alpha', KEY);
    await send('saveSettings', { recordDurations: false });
    await settle();
    expect(fake.webRequest.onBeforeRequest.listeners).toHaveLength(0);
    expect(fake.webRequest.onCompleted.listeners).toHaveLength(1);
    await requests({ url: TILE, status: 200, start: env.time, durationMs: 40 });
    expect((await rows())[0]).toMatchObject({ durationMs: null, time: env.time + 40, projectName: 'Alpha' });
    await send('saveSettings', { recordDurations: true });
    await settle();
    expect(fake.webRequest.onBeforeRequest.listeners).toHaveLength(1);
    expect(fake.webRequest.onCompleted.listeners).toHaveLength(1);
  });

  it('damaged monitoring records start empty; projects and new requests are unaffected', async () => {
    const id = await project('Alpha', KEY);
    fake.killWorker();
    fake.session.set(`${ACTIVITY_SESSION_KEY}.0`, [{ seq: 'x' }, null, 7]);
    fake.session.set(MONITOR_SESSION_KEY, {
      seq: 5,
      usage: { [id]: { 'maps-raster': 'garbage' } },
      minutes: 3,
      alerts: [{ id: 1 }],
      authFailures: { '-': 'x' },
    });
    fake.session.set(ALERTS_SESSION_KEY, [{ id: 'x', message: 3 }]);
    fake.local.set(DAILY_STORAGE_KEY, [{ dayIndex: 'today' }]);
    await start();
    await requests({ url: TILE, status: 200 });
    expect((await rows()).map((r) => [r.seq, r.projectName])).toEqual([[5, 'Alpha']]);
    const view = await send('getMonitoring', {});
    expect(view.alerts).toEqual([]);
    expect(view.projects[0]?.usage.find((u) => u.api === 'maps-raster')?.count).toBe(1);
    expect(view.daily.flatMap((d) => Object.values(d.counts[id] ?? {}))).toEqual([1]);
  });

  it("Copy as curl for a row uses that row's project, not the active one", async () => {
    await project('Alpha', KEY);
    const b = await project('Beta', OTHER_KEY, 'query', false);
    const url = 'https://api.os.uk/search/names/v1/find?query=Leeds';
    expect((await send('copyCurlCommand', { url })).command).toContain(KEY);
    const forBeta = (await send('copyCurlCommand', { url, projectId: b })).command;
    expect(forBeta).toContain(`key=${OTHER_KEY}`);
    expect(forBeta).not.toContain(KEY);
    await expect(send('copyCurlCommand', { url, projectId: 'gone' })).rejects.toMatchObject({
      detail: { code: 'not-found' },
    });
  });

  it('Clear activity empties the log but keeps usage', async () => {
    const id = await project('Alpha', KEY);
    await requests({ url: TILE, status: 200 });
    await send('clearActivity', {});
    expect(await rows()).toEqual([]);
    const usage = (await send('getMonitoring', {})).projects
      .find((p) => p.id === id)
      ?.usage.find((u) => u.api === 'maps-raster');
    expect(usage?.count).toBe(1);
  });
});

describe('usage against plan limits', () => {
  it('counts requests in the last 60 s per API against the plan, warning from 80 %', async () => {
    const id = await project('Alpha', KEY);
    await requests(...Array.from({ length: 40 }, () => ({ url: TILE, status: 200 })), {
      url: 'https://api.os.uk/search/names/v1/find?query=a',
      status: 200,
    });
    let view = (await send('getMonitoring', {})).projects.find((p) => p.id === id);
    expect(view?.usage.find((u) => u.api === 'maps-raster')).toMatchObject({
      count: 40,
      limit: 50,
      warning: true,
      label: 'OS Maps API',
    });
    expect(view?.usage.find((u) => u.api === 'names')).toMatchObject({ count: 1, limit: 50, warning: false });
    await env.advance(61_000, settle);
    view = (await send('getMonitoring', {})).projects.find((p) => p.id === id);
    expect(view?.usage.find((u) => u.api === 'maps-raster')?.count).toBe(0);
    const minutes = (await send('getMonitoring', {})).minutes.byProject[id];
    expect(minutes).toHaveLength(60);
    expect(minutes?.reduce((a, b) => a + b, 0)).toBe(41);
  });
});

describe('alerts', () => {
  it('a burst of 401s turns the badge amber until seen; a notification only when opted in and granted', async () => {
    await project('Alpha', KEY);
    expect(fake.badge.text).toBe('ALPH');
    await requests({ url: TILE, status: 401 }, { url: TILE, status: 401 });
    expect(fake.badge.text).toBe('ALPH'); // two is not a burst
    await requests({ url: TILE, status: 403 });
    expect(fake.badge).toMatchObject({ text: '!', color: WARNING_BADGE_COLOUR });
    expect(fake.badge.title).toContain('OS Maps API refused 3 requests (401/403)');
    const { alerts } = await send('getMonitoring', {});
    expect(alerts).toMatchObject([{ kind: 'auth-failures', api: 'maps-raster', count: 1 }]);
    expect(fake.shownNotifications).toEqual([]);
    await send('alertsSeen', {});
    expect(fake.badge.text).toBe('ALPH');
    expect((await send('getMonitoring', {})).alerts).toEqual([]);

    fake.notificationsGranted = true;
    await send('saveSettings', { notifications: true });
    await requests({ url: TILE, status: 429 });
    expect(fake.shownNotifications).toMatchObject([
      {
        title: 'OS API Keyring',
        message: expect.stringContaining(
          'OS rate-limited this project (Alpha) on OS Maps API (HTTP 429). In Development mode OS allows 50 transactions a minute per API.',
        ),
      },
    ]);
    await requests({ url: TILE, status: 429 });
    expect(fake.shownNotifications).toHaveLength(1); // a repeat counts, it does not notify again
    expect((await send('getMonitoring', {})).alerts).toMatchObject([{ kind: 'rate-limited', count: 2 }]);
  });

  it("a pinned tab's own badge shows the warning too", async () => {
    await project('Alpha', KEY);
    const b = await project('Beta', OTHER_KEY, 'header', false);
    await send('pinTab', { tabId: 9, projectId: b });
    await settle();
    await requests({ url: TILE, status: 429, tabId: 9 });
    expect(fake.tabBadges.get(9)).toMatchObject({
      text: '!',
      color: WARNING_BADGE_COLOUR,
      title: expect.stringMatching(
        /: Beta \(Key header\) \(this tab only\)\. Alert: OS rate-limited this project \(Beta\) on OS Maps API/,
      ),
    });
    await send('alertsSeen', {});
    expect(fake.tabBadges.get(9)).toMatchObject({ text: 'BETA' });
  });

  it('unusual usage: far above the usual rate of the last hour', async () => {
    const id = await project('Alpha', KEY);
    // A usual pattern: 2 requests a minute for 10 minutes.
    for (let m = 0; m < 10; m++) {
      await requests({ url: TILE, status: 200 }, { url: TILE, status: 200 });
      await env.advance(60_000, settle);
    }
    expect((await send('getMonitoring', {})).alerts).toEqual([]);
    await requests(...Array.from({ length: 30 }, () => ({ url: TILE, status: 200 })));
    const { alerts } = await send('getMonitoring', {});
    expect(alerts).toMatchObject([{ kind: 'unusual-usage', projectId: id }]);
    expect(alerts[0]?.message).toMatch(/^Alpha sent 30 requests in the last minute/);
  });

  it('alerts survive a stopped worker and still show on the badge', async () => {
    await project('Alpha', KEY);
    await requests({ url: TILE, status: 429 });
    await env.advance(2_000, settle);
    fake.killWorker();
    fake.badge.text = '';
    await start();
    await settle();
    expect(fake.badge.text).toBe('!');
  });
});

describe('start-up cost and token alerts', () => {
  it('a worker woken for anything else reads the alerts only, not the log', async () => {
    await project('Alpha', KEY);
    await requests({ url: TILE, status: 429 });
    await env.advance(2_000, settle);
    fake.killWorker();
    const read: string[] = [];
    const get = fake.storage.session.get.bind(fake.storage.session);
    fake.storage.session.get = async (keys) => {
      read.push(...(keys === null ? ['*'] : Array.isArray(keys) ? keys : [keys]));
      return get(keys);
    };
    await start();
    await settle();
    expect(fake.badge.text).toBe('!'); // the unseen 429 alert
    expect(read.some((k) => k.startsWith(`${ACTIVITY_SESSION_KEY}.`) || k === MONITOR_SESSION_KEY)).toBe(false);
    expect(await rows()).toHaveLength(1); // a reader loads it
    expect(read.some((k) => k === `${ACTIVITY_SESSION_KEY}.0`)).toBe(true);
  });

  it('a token failure alerts once; after a recovery the next failure alerts again', async () => {
    const id = await project('Maps', KEY, 'oauth', false);
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client"}' });
    await send('setActiveProject', { id });
    await settle();
    const tokenAlerts = async () => (await send('getMonitoring', {})).alerts.filter((a) => a.kind === 'token-refresh');
    expect(await tokenAlerts()).toMatchObject([
      { projectId: id, count: 1, message: expect.stringMatching(/^Could not get an OAuth 2 token for Maps: /) },
    ]);
    fake.events.onPermissionsAdded.dispatch(); // any reconcile: the same failure is not alerted again
    await settle();
    expect((await tokenAlerts())[0]?.count).toBe(1);
    await send('alertsSeen', {});
    await send('refreshTokenNow', { id }); // recovers
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client"}' });
    await send('refreshTokenNow', { id }).catch(() => undefined); // fails again
    await settle();
    expect(await tokenAlerts()).toMatchObject([{ projectId: id, count: 1 }]);
  });
});

describe('key age, settings, Check access', () => {
  it('reminds after the configured days; "I rotated it" starts again', async () => {
    const id = await project('Alpha', KEY);
    env.time += 91 * MS_PER_DAY;
    const age = async () => (await send('getMonitoring', {})).projects.find((p) => p.id === id)?.keyAge;
    expect(await age()).toMatchObject({ ageDays: 91, due: true });
    await send('saveSettings', { keyAgeDays: 120 });
    expect(await age()).toMatchObject({ ageDays: 91, due: false });
    await send('saveSettings', { keyAgeDays: 30 });
    await send('markKeyRotated', { id });
    expect(await age()).toMatchObject({ ageDays: 0, due: false });
    expect((await send('getMonitoring', {})).keyRotationUrl).toBe('https://osdatahub.os.uk/projects');
  });

  it('refuses invalid settings and changes nothing', async () => {
    await expect(send('saveSettings', { keyAgeDays: 0 })).rejects.toMatchObject({
      detail: { code: 'invalid', message: expect.stringContaining('1 to 3650') },
    });
    expect(await send('getSettings', {})).toEqual({
      recordActivity: true,
      recordDurations: true,
      notifications: false,
      keyAgeDays: 90,
      viewer: true,
    });
  });

  it('Check access probes each API with the project key and books the probes to the project', async () => {
    const id = await project('Alpha', KEY);
    env.replies.push(
      { status: 200, body: 'ok' },
      {
        status: 401,
        body: '{"fault":{"faultstring":"Invalid ApiKey for given resource","detail":{"errorcode":"oauth.v2.InvalidApiKeyForGivenResource"}}}',
      },
      // The third request out is NGD Features' public list of collections.
      { status: 200, body: '{"collections":[{"id":"bld-fts-building-3"}]}' },
    );
    const report = await send('checkAccess', { id });
    expect(report.results).toHaveLength(10);
    const collections = 'https://api.os.uk/features/ngd/ofa/v1/collections';
    const keyed = env.tokenRequests.filter((r) => r.url !== collections);
    expect(keyed).toHaveLength(10);
    expect(keyed.every((r) => r.headers.key === KEY)).toBe(true);
    expect(env.tokenRequests.find((r) => r.url === collections)?.headers).toEqual({}); // public: no key
    expect(keyed.map((r) => r.url)).toContain(
      'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=1',
    );
    expect(report.results.filter((r) => r.ok).length).toBe(9);
    const refused = report.results.find((r) => !r.ok);
    expect(refused).toMatchObject({
      outcome: 'no-access',
      explanation: { title: expect.stringMatching(/^Key not enabled for /) },
    });
    // The keyed probes pass the webRequest observer as the extension's own requests, with the key header they were sent with.
    const ext = `chrome-extension://${fake.extensionId}`;
    await requests(
      ...keyed.map((r) => ({
        url: r.url,
        status: 200,
        initiator: ext,
        tabId: -1,
        requestHeaders: Object.entries(r.headers).map(([name, value]) => ({ name, value })),
      })),
    );
    expect((await rows()).every((r) => r.projectId === id && r.mode === 'header')).toBe(true);

    // A later 401 from that API is explained by what Check access found, while the key is the same.
    const vts = 'https://api.os.uk/maps/vector/v1/vts/tile/7/42/63.pbf';
    await requests({ url: vts, status: 401 });
    expect((await rows())[0]?.explanation).toMatchObject({
      title: 'Key not enabled for OS Vector Tile API',
      detail: expect.stringContaining('Check access found this'),
    });
    env.time += 60_000;
    await send('saveProject', {
      id,
      revision: (await send('getProjectForEdit', { id })).revision,
      name: 'Alpha',
      key: OTHER_KEY,
      secret: '',
      authMode: 'header',
    });
    await requests({ url: vts, status: 401 });
    expect((await rows())[0]?.explanation?.title).toBe('Not authorised'); // a new key: that finding no longer holds
  });
});
