// End to end in real headless Chromium with the built extension: the shared scenarios
// (scenarios/injection.ts, also run in Firefox) plus what only Chromium can do here, stopping the
// extension's service worker.
import { describe, expect, it } from 'vitest';
import { chromiumTarget } from './chromium-driver';
import { credentialsIn } from './extension-harness';
import { activate } from './popup-actions';
import { LIVE_KEY, STAGING_KEY, TILE, injectionScenarios } from './scenarios/injection';

const ctx = injectionScenarios(chromiumTarget);

describe('service worker stopped and restarted', () => {
  it('leaves the right rules in place and keeps attaching the key', async () => {
    const { ext, popup, page, tag, received } = ctx;
    await activate(popup, 'Live');
    const before = await ext.waitForRules((r) => credentialsIn(r).includes(LIVE_KEY), 'Live active');
    // A marker in the worker's global scope tells an old instance from a restarted one.
    await (
      await ext.session.worker()
    ).evaluate(() => {
      (self as unknown as { __marker: string }).__marker = 'before-stop';
    });
    await ext.session.stopWorker();
    expect(await ext.session.workerStatus()).toBe('STOPPED');

    // With no worker running, the session rules still apply.
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}`);
    expect((await received((x) => x.url.includes(t))).headers.key).toBe(LIVE_KEY);

    // Waking it (the popup asks for state) restarts it; its start-up reconcile changes nothing.
    await popup.reload();
    await popup.getByRole('radio', { name: 'Live', exact: true }).waitFor();
    await expect(popup.getByRole('radio', { name: 'Live', exact: true }).isChecked()).resolves.toBe(true);
    expect(await ext.session.workerStatus()).toBe('RUNNING');
    expect(
      await (await ext.session.worker()).evaluate(() => (self as unknown as { __marker?: string }).__marker ?? 'fresh'),
    ).toBe('fresh');
    expect(await ext.rules()).toEqual(before);

    // And the restarted worker still switches correctly.
    await activate(popup, 'Staging');
    const t2 = tag();
    await page.goto(`https://api.os.uk${TILE}?${t2}`);
    expect((await received((x) => x.url.includes(t2))).headers.key).toBe(STAGING_KEY);
  });
});
