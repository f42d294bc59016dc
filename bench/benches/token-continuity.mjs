/**
 * 3. Token continuity. Under steady load through several OAuth 2 token lifetimes, how many
 * requests reached api.os.uk with an expired or missing token (target 0), and how early each new
 * token took over from the old one (the refresh margin).
 *
 * Its own small session: a dedicated api.os.uk mock whose token endpoint issues short-lived
 * tokens (one project with a key and a secret, rate limits far above the load), its own page
 * server and its own Chromium with the built extension. The OAuth project is added and activated
 * through the real popup. A page on http://127.0.0.1 then fetches https://api.os.uk/__echo one
 * request at a time, `gapMs` after the previous one answered, for `lifetimes` token lifetimes.
 *
 * Everything is judged from the mock's log: each request's arrival time (Date.now() when it
 * reached the mock) and the credential it carried, against the mock's own record of every token
 * it issued (`issuedTokens()`: token → expiresAt). The mock rejects a token at arrival time
 * ≥ expiresAt, so "expired" here is exactly what the gateway would have refused.
 */
import { launchBenchBrowser } from '../lib/browser.mjs';
import { startBenchPages } from '../lib/pages.mjs';
import { addProject, clickActive } from '../lib/popup-ui.mjs';
import { median, sleep } from '../lib/stats.mjs';
import { importTs } from '../lib/ts.mjs';

export const OAUTH_PROJECT = 'Bench OAuth';
export const OAUTH_KEY = 'BENCHoauth00000000000000000T';
export const OAUTH_SECRET = 'BENCHsecret00000000T';
const TOKEN_PATH = '/oauth2/token/v1';

/** Bearer tokens in the extension's installed session rules. */
async function bearerTokensInRules(browser) {
  const rules = await browser.rules();
  return rules.flatMap((r) =>
    r.action.type === 'modifyHeaders'
      ? (r.action.requestHeaders ?? [])
          .filter((h) => h.header.toLowerCase() === 'authorization' && /^Bearer /.test(h.value ?? ''))
          .map((h) => h.value.slice(7))
      : [],
  );
}

/**
 * @param {{ mainDir?: string, lifetimeS: number, lifetimes: number, gapMs?: number }} options
 *   mainDir: the extension to load (default dist/chrome); lifetimeS: the mock's token lifetime;
 *   lifetimes: how many lifetimes the load runs; gapMs: pause between one answer and the next fetch.
 */
export async function benchTokenContinuity({ mainDir, lifetimeS, lifetimes, gapMs = 50 }) {
  const { startOsApiMock } = await importTs('tests/mock/os-api-mock.ts');
  const mock = await startOsApiMock({
    projects: [{ key: OAUTH_KEY, secret: OAUTH_SECRET, plan: 'live' }],
    tokenLifetimeSeconds: lifetimeS,
    // Limits far above anything the bench sends: it must never see a 429.
    rateLimitPerMinute: { dev: 1e9, live: 1e9 },
  });
  /** @type {Awaited<ReturnType<typeof startBenchPages>> | null} */
  let pages = null;
  /** @type {Awaited<ReturnType<typeof launchBenchBrowser>> | null} */
  let browser = null;
  try {
    pages = await startBenchPages();
    browser = await launchBenchBrowser({ mockPort: mock.port, ...(mainDir ? { mainDir } : {}) });
    await browser.setFloorRuleset(false);

    const popup = await browser.context.newPage();
    await popup.goto(browser.popupUrl);
    await popup.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
    await addProject(popup, {
      name: OAUTH_PROJECT,
      key: OAUTH_KEY,
      secret: OAUTH_SECRET,
      mode: 'OAuth 2 bearer token',
    });
    await clickActive(popup, OAUTH_PROJECT);
    const deadline = Date.now() + 10_000;
    while ((await bearerTokensInRules(browser)).length === 0) {
      if (Date.now() > deadline) throw new Error('no Bearer rule within 10 s of activating the OAuth project');
      await sleep(20);
    }
    // The popup's live countdown would keep messaging the background: close it, as a user would.
    await popup.close();

    const page = await browser.context.newPage();
    await page.goto(pages.url('/poll'));
    // In front: the page paces its fetches with a timer, and background tabs throttle timers.
    await page.bringToFront();

    const cpu0 = browser.cpu.start();
    mock.clear();
    const lifetimeMs = lifetimeS * 1000;
    const durationMs = Math.round(lifetimes * lifetimeMs);
    await page.evaluate((g) => window.startPoll(g), gapMs);
    await sleep(durationMs);
    const pageSide = await page.evaluate(() => window.stopPoll());
    const foreignCpu = browser.cpu.foreignShare(cpu0);

    const analysis = analyseTokenLoad(mock.requests, mock.issuedTokens(), { lifetimeMs });
    const problems = [...analysis.problems];
    if (pageSide.sent !== analysis.requests)
      problems.push(`the page sent ${pageSide.sent} fetches, the mock recorded ${analysis.requests}`);
    if (pageSide.failed)
      problems.push(
        `${pageSide.failed} fetch(es) did not answer 200 in the page (${JSON.stringify(pageSide.statuses)})`,
      );
    // Each lifetime should bring at least one refresh; fewer means the load did not span what it should.
    const expectedRefreshes = Math.floor(lifetimes) - (lifetimes >= 2 ? 1 : 0);
    if (analysis.refreshes < Math.max(1, expectedRefreshes))
      problems.push(`only ${analysis.refreshes} refresh(es) during ${lifetimes} lifetimes`);
    return {
      ...analysis,
      lifetimeS,
      lifetimes,
      gapMs,
      durationS: (pageSide.last - pageSide.first) / 1000,
      requestsPerSecond: pageSide.sent / ((pageSide.last - pageSide.first) / 1000),
      pageSide,
      problems,
      foreignCpu,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await pages?.close();
    await mock.close();
  }
}

/**
 * Judge the load from the mock's log. Pure, so it can be checked on a made-up log.
 * @param {import('../../tests/mock/os-api-mock.ts').RecordedRequest[]} requests the log from the start of the load
 * @param {{ token: string, expiresAt: number }[]} issued every token the mock issued (mock.issuedTokens())
 * @param {{ lifetimeMs: number }} options the mock's token lifetime (issue time = expiresAt − lifetime)
 */
export function analyseTokenLoad(requests, issued, { lifetimeMs }) {
  const expiry = new Map(issued.map((t) => [t.token, t.expiresAt]));
  const load = requests.filter((r) => r.host === 'api.os.uk' && r.path === '/__echo' && r.method === 'GET');
  const tokenRequests = requests.filter((r) => r.host === 'api.os.uk' && r.path === TOKEN_PATH && r.method === 'POST');

  let expired = 0;
  let missing = 0;
  let unknown = 0;
  let withKey = 0;
  let non200 = 0;
  /** Requests carrying an older token after a newer one had already reached the mock. */
  let olderAfterNewer = 0;
  /** Least time left on a token when a request carrying it arrived (ms). */
  let minLeftMs = Infinity;
  /** @type {Map<string, number>} token → arrival of its first request */
  const firstUse = new Map();
  /** @type {string[]} tokens in order of first use */
  const order = [];
  let newest = -1;
  /** @type {Record<string, number>} */
  const statuses = {};
  for (const r of load) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status !== 200) non200++;
    const c = r.credential;
    if (c.source === 'none') {
      missing++;
      continue;
    }
    if (c.source !== 'bearer') {
      // In OAuth mode no request may carry the API key (header or query).
      withKey++;
      continue;
    }
    const token = c.value ?? '';
    const expiresAt = expiry.get(token);
    if (expiresAt === undefined) {
      unknown++;
      continue;
    }
    if (r.time >= expiresAt) expired++;
    minLeftMs = Math.min(minLeftMs, expiresAt - r.time);
    if (!firstUse.has(token)) {
      firstUse.set(token, r.time);
      order.push(token);
    }
    const i = order.indexOf(token);
    if (i < newest) olderAfterNewer++;
    else newest = i;
  }

  // For each refresh: the old token's expiresAt (the mock's record) minus the arrival of the first
  // request carrying the new token, i.e. how long before expiry the new token was already in use.
  const margins = [];
  /** From the mock issuing a token to the first request carrying it (rules swapped, request sent). */
  const takeover = [];
  for (let i = 1; i < order.length; i++) {
    const oldExpiry = /** @type {number} */ (expiry.get(order[i - 1]));
    const newExpiry = /** @type {number} */ (expiry.get(order[i]));
    const used = /** @type {number} */ (firstUse.get(order[i]));
    margins.push(oldExpiry - used);
    takeover.push(used - (newExpiry - lifetimeMs));
  }
  const unused = [...expiry.keys()].filter((t) => !firstUse.has(t)).length;
  const badTokenRequests = tokenRequests.filter(
    (r) =>
      r.status !== 200 || r.credential.source !== 'basic' || r.headers.key !== undefined || r.query.key !== undefined,
  ).length;

  const problems = [];
  if (load.length === 0) problems.push('no request reached the mock');
  if (non200) problems.push(`${non200} request(s) answered other than 200 (${JSON.stringify(statuses)})`);
  if (unknown) problems.push(`${unknown} request(s) carried a token the mock never issued`);
  if (withKey) problems.push(`${withKey} request(s) carried the API key in OAuth mode`);
  if (olderAfterNewer)
    problems.push(`${olderAfterNewer} request(s) went back to an older token after a newer one was in use`);
  if (badTokenRequests)
    problems.push(`${badTokenRequests} token request(s) failed or did not carry Basic credentials alone`);

  return {
    requests: load.length,
    expired,
    missing,
    unknown,
    withKey,
    non200,
    statuses,
    olderAfterNewer,
    distinctTokens: order.length,
    refreshes: Math.max(0, order.length - 1),
    tokensIssued: issued.length,
    tokensUnused: unused,
    tokenRequests: tokenRequests.length,
    badTokenRequests,
    minLeftMs: Number.isFinite(minLeftMs) ? minLeftMs : NaN,
    margin: {
      min: margins.length ? Math.min(...margins) : NaN,
      median: median(margins),
      max: margins.length ? Math.max(...margins) : NaN,
      all: margins,
    },
    takeover: { median: median(takeover), max: takeover.length ? Math.max(...takeover) : NaN },
    problems,
  };
}
