// OAuth 2 in the background against the fake browser and a scripted clock and token endpoint.
import { describe, expect, it } from 'vitest';
import type { DnrRule } from '../../../src/core/dnr-rule';
import { WARNING_BADGE_COLOUR } from '../../../src/core/toolbar';
import { REFRESH_ALARM, TOKENS_KEY } from '../../../src/background/token-manager';
import { settle } from '../../fakes/settle';
import { env, fake, freshBackgroundEachTest, send, start as startReady } from '../../fakes/background-prelude';

freshBackgroundEachTest();

const advance = (ms: number) => env.advance(ms, settle);
const quickSettle = async () => {
  for (let i = 0; i < 6; i++) await new Promise((r) => setTimeout(r, 0));
};

/** Every Authorization / key value the installed rules attach. */
function attached(rules: DnrRule[] = fake.sessionRules): string[] {
  return [
    ...new Set(
      rules.flatMap((r) =>
        r.action.type === 'modifyHeaders'
          ? r.action.requestHeaders.map((h) => `${h.header}: ${h.value ?? ''}`)
          : r.action.type === 'redirect' && r.action.redirect.transform?.queryTransform.addOrReplaceParams
            ? ['key query']
            : [],
      ),
    ),
  ];
}

async function start() {
  const bg = await startReady();
  await settle();
  return bg;
}

async function addOAuthProject(name = 'Live', key = 'LIVEKEY', secret = 'LIVESECRET') {
  return send('saveProject', { name, key, secret, authMode: 'oauth' });
}

describe('getting a token', () => {
  it('activating fetches a token first, exactly as OS specifies, then attaches only Bearer', async () => {
    await start();
    const { id } = await addOAuthProject();
    expect(env.tokenRequests).toHaveLength(0); // not active: fetches nothing
    await send('setActiveProject', { id });
    expect(env.tokenRequests).toEqual([
      {
        at: env.time,
        url: 'https://api.os.uk/oauth2/token/v1',
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa('LIVEKEY:LIVESECRET')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      },
    ]);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1']);
    expect(JSON.stringify(fake.sessionRules)).not.toContain('LIVEKEY');
    expect(fake.badge.text).toBe('LIVE');
    // The token lives in session storage only, never in local storage.
    expect(JSON.stringify([...fake.local.values()])).not.toContain('TOKEN1');
    expect(JSON.stringify(fake.session.get(TOKENS_KEY))).toContain('TOKEN1');
  });

  it('the switch from a key project is one update: key out, Bearer in', async () => {
    await start();
    const a = await send('saveProject', { name: 'Dev', key: 'DEVKEY', secret: '', authMode: 'header' });
    const b = await addOAuthProject();
    await send('setActiveProject', { id: a.id });
    fake.ruleHistory = [];
    await send('setActiveProject', { id: b.id });
    expect(fake.ruleHistory.map((rules) => attached(rules))).toEqual([['Authorization: Bearer TOKEN1']]);
  });
});

describe('refreshing', () => {
  it('refreshes before expiry and swaps the rule atomically; never an expired token on the wire', async () => {
    env.tokenLifetimeS = 40;
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    fake.ruleHistory = [];
    const expiries = new Map<string, number>([['TOKEN1', env.time + 40_000]]);
    // Walk 5 lifetimes in 1 s steps, checking the rules at every step.
    for (let s = 0; s < 200; s++) {
      await env.advance(1_000, quickSettle);
      for (const req of env.tokenRequests) expiries.set(`TOKEN${env.tokenRequests.indexOf(req) + 1}`, req.at + 40_000);
      const onWire = attached();
      expect(onWire).toHaveLength(1);
      const token = onWire[0]!.replace('Authorization: Bearer ', '');
      expect(expiries.get(token)! - env.time, `step ${s}`).toBeGreaterThan(0);
    }
    // Refreshed at 30 s (margin 10 s): about 200 / 30 = 6 refreshes, each a single swap.
    expect(env.tokenRequests.length).toBeGreaterThanOrEqual(6);
    for (const rules of fake.ruleHistory) expect(attached(rules)).toHaveLength(1);
    const gaps = env.tokenRequests.slice(1).map((r, i) => r.at - env.tokenRequests[i]!.at);
    expect(new Set(gaps)).toEqual(new Set([30_000]));
    // 200 simulated seconds, each a reconcile with every rule compared: more than the default 5 s on a loaded machine.
  }, 30_000);

  it('sets the alarm for the refresh time, so a stopped worker is woken to refresh', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    expect(fake.alarmTimes.get(REFRESH_ALARM)).toBe(env.time + 30_000);
    await settle(); // stopped while idle
    fake.killWorker();
    env.dropTimers(); // timers die with the old instance
    env.time += 30_000;
    await start(); // the alarm wakes a new worker...
    fake.fireAlarm(REFRESH_ALARM); // ...and is delivered to it
    await settle();
    expect(env.tokenRequests).toHaveLength(2);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN2']);
  });

  it('a worker killed mid-refresh: the old token stays until the next worker gets a new one', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    env.replies.push('hang');
    await advance(30_000);
    expect(env.tokenRequests).toHaveLength(2); // the hanging one
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1']);
    fake.killWorker();
    env.dropTimers();
    env.time += 1_000;
    await start();
    expect(env.tokenRequests).toHaveLength(3);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN2']);
  });

  it('one refresh in flight per project, however many triggers', async () => {
    const bg = await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    env.replies.push('hang');
    env.time += 31_000;
    await Promise.all([bg.reconcile(), bg.reconcile(), send('getState', {})]);
    fake.events.onAlarm.dispatch({ name: REFRESH_ALARM });
    await settle();
    expect(env.tokenRequests).toHaveLength(2);
  });

  it('switching away stops refreshing and clears the alarm', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    await send('setActiveProject', { id: null });
    await advance(300_000);
    expect(env.tokenRequests).toHaveLength(1);
    expect(fake.alarmTimes.has(REFRESH_ALARM)).toBe(false);
    expect(fake.sessionRules).toEqual([]);
  });

  it('after a browser restart a fresh token is fetched (session storage is gone)', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    fake.restartBrowser();
    env.time += 5_000;
    await start();
    fake.events.onStartup.dispatch();
    await settle();
    expect(env.tokenRequests).toHaveLength(2);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN2']);
  });

  it('editing the key or secret voids the token and gets a new one with the new credentials', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    const form = await send('getProjectForEdit', { id });
    await send('saveProject', {
      id: form.id,
      revision: form.revision,
      name: form.name,
      authMode: form.authMode,
      key: '',
      secret: 'NEWSECRET',
    });
    await settle();
    expect(env.tokenRequests.at(-1)?.headers.authorization).toBe(`Basic ${btoa('LIVEKEY:NEWSECRET')}`);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN2']);
  });
});

describe('sleep', () => {
  it('the machine sleeping past expiry: on wake the expired token goes in the first update, then a fresh one comes', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    fake.ruleHistory = [];
    env.time += 10 * 60_000; // asleep: no timer ran, the clock jumped 10 minutes
    env.replies.push('hang'); // the network is not back yet on wake
    fake.fireAlarm(REFRESH_ALARM); // overdue alarms and timers fire on wake
    await settle();
    expect(fake.ruleHistory[0]).toEqual([]); // the expired token is removed before anything else
    expect(fake.badge.text).toBe('!');
    env.hanging.shift()?.reject(new TypeError('Failed to fetch'));
    await advance(2_000); // the retry succeeds
    expect(attached()).toEqual(['Authorization: Bearer TOKEN2']);
  });
});

describe('failures', () => {
  it('401 invalid_client: Bearer rule removed at once, error badge, project stays selected, no retries', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client","Error":"Client credentials are invalid"}' });
    await advance(30_000);
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge).toMatchObject({
      text: '!',
      title: expect.stringMatching(/Live .*OS rejected the key or secret/),
    });
    const state = await send('getState', {});
    expect(state.activeProjectId).toBe(id);
    expect(state.oauth?.lastError).toMatchObject({
      kind: 'rejected',
      message: expect.stringMatching(/rejected this project’s API key or secret/),
    });
    await advance(300_000);
    expect(env.tokenRequests).toHaveLength(2);
  });

  it('a rejected first activation still switches, with nothing attached (never another project’s credential)', async () => {
    await start();
    const a = await send('saveProject', { name: 'Dev', key: 'DEVKEY', secret: '', authMode: 'header' });
    const b = await addOAuthProject();
    await send('setActiveProject', { id: a.id });
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client"}' });
    await send('setActiveProject', { id: b.id });
    expect(fake.sessionRules).toEqual([]);
    expect((await send('getState', {})).activeProjectId).toBe(b.id);
  });

  it('5xx: retries with capped backoff while the token is good, drops it on time, recovers by itself', async () => {
    env.tokenLifetimeS = 40;
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    const t0 = env.time;
    for (let i = 0; i < 5; i++) env.replies.push({ status: 500, body: 'oops' });
    await advance(30_000); // refresh due: fails
    let state = await send('getState', {});
    expect(state.oauth).toMatchObject({
      failures: 1,
      retryAt: env.time + 2_000,
      lastError: { kind: 'transient', message: 'The token endpoint failed (HTTP 500).' },
    });
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1']); // still valid: kept
    await advance(2_000 + 4_000); // two more failures
    expect(env.tokenRequests.map((r) => r.at - t0)).toEqual([0, 30_000, 32_000, 36_000]);
    await advance(2_000); // t = 38 s: expiry guard reached, token dropped before it expires
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge.text).toBe('!');
    await advance(60_000);
    expect(env.tokenRequests.map((r) => r.at - t0)).toEqual([0, 30_000, 32_000, 36_000, 44_000, 60_000, 92_000]);
    // The 5 scripted failures are used up: the retry at 92 s succeeded.
    state = await send('getState', {});
    expect(state.oauth).toMatchObject({ failures: 0, lastError: null, retryAt: null });
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1'.replace('1', '2')]);
  });

  it.each([
    [
      'network-error' as const,
      'Could not reach the token endpoint (network error, or it answered with a redirect, which is never followed).',
    ],
    [{ status: 200, body: '<html>gateway</html>' }, 'The token endpoint sent something that is not JSON.'],
    [{ status: 200, body: '{"access_token":"x","expires_in":"soon"}' }, /unusable answer \(expires_in/],
  ])('%j is a transient failure with a clear message, never a token', async (reply, message) => {
    await start();
    const { id } = await addOAuthProject();
    env.replies.push(reply);
    await send('setActiveProject', { id });
    expect(fake.sessionRules).toEqual([]);
    const state = await send('getState', {});
    expect(state.oauth?.lastError?.message).toMatch(message);
    expect(state.oauth?.retryAt).toBe(env.time + 2_000);
    await advance(2_000);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1']);
  });

  it('a token endpoint answering with a redirect off api.os.uk: never followed, so the key and secret stay here', async () => {
    await start();
    const { id } = await addOAuthProject();
    env.replies.push({ status: 307, location: 'https://evil.example/token' });
    await send('setActiveProject', { id });
    expect(env.tokenRequests.map((r) => r.url)).toEqual(['https://api.os.uk/oauth2/token/v1']);
    expect(fake.sessionRules).toEqual([]);
    expect((await send('getState', {})).oauth?.lastError?.message).toMatch(/redirect, which is never followed/);
  });

  it('a hanging token endpoint times out after 10 s and is retried', async () => {
    await start();
    const { id } = await addOAuthProject();
    env.replies.push('hang');
    const activation = send('setActiveProject', { id });
    await advance(10_000);
    await activation;
    expect((await send('getState', {})).oauth?.lastError?.message).toBe(
      'The token endpoint did not answer within 10 s.',
    );
    await advance(2_000);
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1']);
  });
});

describe('popup actions', () => {
  it('Refresh token now gets a new token; Copy token returns it only on request; getState never carries it', async () => {
    await start();
    const { id } = await addOAuthProject();
    await send('setActiveProject', { id });
    await send('refreshTokenNow', { id });
    expect(attached()).toEqual(['Authorization: Bearer TOKEN2']);
    expect(await send('copyToken', { id })).toEqual({ token: 'TOKEN2' });
    const state = await send('getState', {});
    expect(JSON.stringify(state)).not.toContain('TOKEN2');
    expect(state.oauth).toMatchObject({ lastRefreshAt: env.time, expiresAt: env.time + 40_000, refreshing: false });
  });

  it('Refresh token now retries after a rejection (e.g. once the secret is fixed at OS)', async () => {
    await start();
    const { id } = await addOAuthProject();
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client"}' });
    await send('setActiveProject', { id });
    expect(fake.sessionRules).toEqual([]);
    await send('refreshTokenNow', { id });
    expect(attached()).toEqual(['Authorization: Bearer TOKEN1']);
    // The rejection was an alert: the badge stays in its amber warning state until it is seen.
    expect(fake.badge).toMatchObject({ text: '!', color: WARNING_BADGE_COLOUR });
    expect((await send('getMonitoring', {})).alerts.map((a) => a.kind)).toEqual(['token-refresh']);
    await send('alertsSeen', {});
    expect(fake.badge.text).toBe('LIVE');
  });
});
