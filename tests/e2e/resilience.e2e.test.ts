// Faults a developer's browser goes through, end to end: a restart with the same profile, the
// service worker stopped mid-refresh, an update across a schema change, two popups editing at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stateV1 from '../../src/core/fixtures/state-v1.json';
import { startOsApiMock, type OsApiMock } from '../mock/os-api-mock';
import { credentialsIn, launchWithExtension, type ExtensionSession } from './extension-harness';
import { startPageServer, type PageServer } from './page-server';
import { activate, addProject, openRowMenu } from './popup-actions';

const KEY = 'RESILIENTkey00000000000003';
const OAUTH_KEY = 'RESILIENToauth000000000004';
const OAUTH_SECRET = 'RESILIENTsecret4';

let mock: OsApiMock;
let pages: PageServer;

beforeAll(async () => {
  mock = await startOsApiMock({
    projects: [
      { key: KEY, plan: 'live' },
      { key: OAUTH_KEY, secret: OAUTH_SECRET, plan: 'live' },
      { key: stateV1.projects[0]!.key, plan: 'live' },
    ],
    tokenLifetimeSeconds: 20,
    rateLimitPerMinute: { dev: 100_000, live: 100_000 },
  });
  pages = await startPageServer();
});

afterAll(async () => {
  await pages?.close();
  await mock?.close();
});

/** What the mock saw of the probes sent while the restarted browser started up. */
interface StartUpProbes {
  /** ms from `since` to the first request that carried the credential. */
  ms: number;
  /** Probes sent before the worker's first rule update was seen in the session rules, and how many of them went out without the credential. */
  sentBefore: number;
  missesBefore: number;
  /** Probes sent once it was seen, and how many of those went out without the credential (the promise: none). */
  sentAfter: number;
  missesAfter: number;
}

/**
 * Fetch from a local page, one probe at a time, reading the session rules before each: until the
 * rules hold the credential (`inRules`), a probe races the worker's start-up reconcile (DNR session
 * rules are empty after a restart); once they do, every probe must carry it (`carries`). Stops
 * `after` probes after the rules were first seen in place.
 */
async function probeStartUp(
  ext: ExtensionSession,
  inRules: (credentials: string[]) => boolean,
  carries: (headers: Record<string, string>) => boolean,
  since: number,
  after = 20,
): Promise<StartUpProbes> {
  const page = await ext.context.newPage();
  await page.goto(pages.url('127.0.0.1'));
  const seen: StartUpProbes = { ms: -1, sentBefore: 0, missesBefore: 0, sentAfter: 0, missesAfter: 0 };
  for (let i = 0; i < 400 && seen.sentAfter < after; i++) {
    const ruled = inRules(credentialsIn(await ext.rules()));
    const tag = `probe-${since}-${i}`;
    await page.evaluate(async (u) => void (await fetch(u)), `https://api.os.uk/__echo?${tag}`);
    const r = await mock.waitForRequest((x) => x.url.includes(tag));
    const ok = carries(r.headers);
    if (ok && seen.ms < 0) seen.ms = r.time - since;
    if (ruled) {
      seen.sentAfter++;
      if (!ok) seen.missesAfter++;
    } else {
      seen.sentBefore++;
      if (!ok) seen.missesBefore++;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await page.close();
  if (seen.sentAfter < after) throw new Error('the credential was not in the session rules within 400 probes');
  return seen;
}

describe('browser restart with the same profile', () => {
  const profile = mkdtempSync(join(tmpdir(), 'keyring-restart-'));
  afterAll(() => rmSync(profile, { recursive: true, force: true }));

  it('the active key project applies again; the first credentialed request comes soon after start-up', async () => {
    let ext = await launchWithExtension({ mockPort: mock.port, userDataDir: profile });
    const popup = await ext.openPopup();
    await addProject(popup, { name: 'Restart', key: KEY, mode: 'Key header' });
    await activate(popup, 'Restart');
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'before restart');
    await ext.context.close();

    const launchedAt = Date.now();
    ext = await launchWithExtension({ mockPort: mock.port, userDataDir: profile });
    try {
      const seen = await probeStartUp(
        ext,
        (c) => c.includes(KEY),
        (h) => h.key === KEY,
        launchedAt,
      );
      console.log(
        `restart (key header): first credentialed request ${seen.ms} ms after launch began; before the worker's first rule update ${seen.missesBefore} of ${seen.sentBefore} probes went out without the key, after it ${seen.missesAfter} of ${seen.sentAfter}`,
      );
      // RELIABILITY.md row 2: once the start-up reconcile has put the rules back, no request goes
      // out without the credential. Before it, a request can (session rules are empty after a
      // restart, and the key is never written into rules that persist): counted and printed, not promised.
      expect(seen.missesAfter).toBe(0);
      expect(seen.ms).toBeGreaterThan(0);
      // How soon is a speed figure: bench row 5 measures start-up side by side; a timed assertion here only flaked under load.
      // And it stays correct: the rules are exactly one project's.
      expect(credentialsIn(await ext.rules())).toEqual([KEY]);
    } finally {
      // Closed even when an assertion fails, so the next test can open the same profile.
      await ext.context.close();
    }
  });

  it('an OAuth project gets a fresh token after the restart (tokens are never kept on disk)', async () => {
    let ext = await launchWithExtension({ mockPort: mock.port, userDataDir: profile });
    const popup = await ext.openPopup();
    await addProject(popup, {
      name: 'Restart OAuth',
      key: OAUTH_KEY,
      secret: OAUTH_SECRET,
      mode: 'OAuth 2 bearer token',
    });
    await activate(popup, 'Restart OAuth');
    const before = credentialsIn(
      await ext.waitForRules((r) => credentialsIn(r).some((c) => c.startsWith('Bearer ')), 'token before restart'),
    );
    await ext.context.close();

    const tokensIssued = mock.issuedTokens().length;
    const launchedAt = Date.now();
    ext = await launchWithExtension({ mockPort: mock.port, userDataDir: profile });
    const seen = await probeStartUp(
      ext,
      (c) => c.some((x) => x.startsWith('Bearer ')),
      (h) => h.authorization?.startsWith('Bearer ') ?? false,
      launchedAt,
    );
    console.log(
      `restart (OAuth): first request with a fresh token ${seen.ms} ms after launch began; before the first rule update ${seen.missesBefore} of ${seen.sentBefore} without a token, after it ${seen.missesAfter} of ${seen.sentAfter}`,
    );
    expect(seen.missesAfter).toBe(0);
    const after = credentialsIn(await ext.rules());
    expect(mock.issuedTokens().length).toBe(tokensIssued + 1);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    await ext.context.close();
  });
});

describe('with one browser', () => {
  let ext: ExtensionSession;
  beforeAll(async () => {
    ext = await launchWithExtension({ mockPort: mock.port });
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('the service worker stopped while a token refresh hangs: the old token serves until the new worker refreshes', async () => {
    const popup = await ext.openPopup();
    await addProject(popup, { name: 'Hang', key: OAUTH_KEY, secret: OAUTH_SECRET, mode: 'OAuth 2 bearer token' });
    await activate(popup, 'Hang');
    await ext.waitForRules((r) => credentialsIn(r).some((c) => c.startsWith('Bearer ')), 'first token');
    mock.failTokenEndpoint('hang');
    await popup.getByRole('button', { name: 'Refresh token now' }).click();
    await mock.waitForRequest((r) => r.path === '/oauth2/token/v1' && r.status === 0); // the refresh is in flight
    await ext.stopWorker();
    mock.failTokenEndpoint(null);

    // No worker, a refresh lost with it: the still-valid token stays on the wire.
    const page = await ext.context.newPage();
    await page.goto(pages.url('127.0.0.1'));
    expect(await page.evaluate(async () => (await fetch('https://api.os.uk/__echo?during-stop')).status)).toBe(200);

    // The next wake (the popup asking for state) refreshes; requests keep succeeding.
    const issued = mock.issuedTokens().length;
    await popup.reload();
    await popup.getByRole('button', { name: 'Refresh token now' }).click();
    await expect.poll(() => mock.issuedTokens().length, { timeout: 5_000 }).toBe(issued + 1);
    const latest = mock.issuedTokens().at(-1)!.token;
    await ext.waitForRules((r) => credentialsIn(r).includes(`Bearer ${latest}`), 'new token after wake');
    expect(await page.evaluate(async () => (await fetch('https://api.os.uk/__echo?after-wake')).status)).toBe(200);
    await page.close();
    await popup.close();
  });

  it('two popups editing one project: the second save is refused, nothing is lost silently', async () => {
    const first = await ext.openPopup();
    await addProject(first, { name: 'Shared', key: KEY, mode: 'Key header' });
    const second = await ext.openPopup();
    for (const p of [first, second]) {
      await p.bringToFront();
      await openRowMenu(p, 'Shared');
      await p.getByRole('button', { name: 'Edit Shared' }).click();
    }
    await first.bringToFront();
    await first.getByRole('textbox', { name: 'API key' }).fill('FIRSTeditKEY0001');
    await first.getByRole('button', { name: 'Save', exact: true }).click();
    await first.getByRole('button', { name: 'Add project' }).waitFor();
    await second.bringToFront();
    await second.getByRole('textbox', { name: 'API key' }).fill('SECONDeditKEY002');
    await second.getByRole('button', { name: 'Save', exact: true }).click();
    await second
      .getByRole('alert')
      .filter({ hasText: /“Shared” was changed elsewhere after you opened it\. Nothing was saved/ })
      .waitFor();
    const stored = await (
      await ext.worker()
    ).evaluate(() => chrome.storage.local.get<{ keyring: { projects: { name: string; key: string }[] } }>('keyring'));
    expect(stored.keyring.projects.find((p) => p.name === 'Shared')?.key).toBe('FIRSTeditKEY0001');
    await first.close();
    await second.close();
  });

  it('a schema-1 document is migrated in the real browser with nothing lost, and survives a restart', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'keyring-migrate-'));
    let session = await launchWithExtension({ mockPort: mock.port, userDataDir: profile });
    const popup = await session.openPopup();
    // Stored data as the previous version wrote it (Staging map active, key header).
    const v1 = { ...structuredClone(stateV1), activeProjectId: stateV1.projects[0]!.id };
    await popup.evaluate((doc) => chrome.storage.local.set({ keyring: doc }), v1);
    await popup.getByRole('radio', { name: 'Staging map', exact: true }).waitFor();
    const stored = await popup.evaluate(() =>
      chrome.storage.local.get<{
        keyring: { schemaVersion: number; projects: { name: string; key: string; secret: string; mode: string }[] };
      }>('keyring'),
    );
    expect(stored.keyring.schemaVersion).toBe(5);
    // Schema 2 gave each project its Development/Live setting as `plan`; schema 5 calls it `mode`.
    expect(stored.keyring.projects.map((p) => [p.name, p.key, p.secret, p.mode])).toEqual(
      v1.projects.map((p) => [p.name, p.key, p.secret, 'dev']),
    );
    await session.waitForRules((r) => credentialsIn(r).includes(v1.projects[0]!.key), 'migrated project applied');
    await session.context.close();

    // A new start of the extension (as after an update) reads the migrated data and re-applies it.
    // (chrome.runtime.reload() would be closer, but in Chromium 156 it unloads an extension given
    // with --load-extension under Playwright's flags; the onInstalled "update" path is covered in
    // tests/unit/background.)
    session = await launchWithExtension({ mockPort: mock.port, userDataDir: profile });
    await session.waitForRules((r) => credentialsIn(r).includes(v1.projects[0]!.key), 'rules after restart');
    const page = await session.context.newPage();
    await page.goto('https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png?after-restart');
    expect((await mock.waitForRequest((r) => r.url.includes('after-restart'))).headers.key).toBe(v1.projects[0]!.key);
    await session.close();
    rmSync(profile, { recursive: true, force: true });
  });
});
