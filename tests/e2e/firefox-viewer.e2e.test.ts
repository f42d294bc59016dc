// The response viewer in Firefox ESR with its built-in JSON viewer on, as users have it
// (puppeteer turns it off by default): the shared scenarios (scenarios/viewer.ts), then the
// setting turned off, which must leave Firefox's own JSON viewer alone.
import { describe, expect, it } from 'vitest';
import { launchFirefoxWithExtension, type FirefoxSession } from './firefox-harness';
import { startMockOnFixedPort, type E2ETarget } from './scenarios/target';
import { VIEWER_KEY, viewerScenarios } from './scenarios/viewer';
import { FIREFOX_MOCK_PORT } from './firefox-harness';

const firefoxWithJsonViewer: E2ETarget<FirefoxSession> = {
  name: 'firefox',
  startMock: (options) => startMockOnFixedPort(FIREFOX_MOCK_PORT, options),
  launch: () => launchFirefoxWithExtension({ prefs: { 'devtools.jsonview.enabled': true } }),
};

// Not in key query parameter mode: there Firefox ESR 153 leaves the response's Content-Type as
// OS sent it after the DNR redirect that adds the key (the viewer's response rule does not apply
// to the redirected request, measured; raising its priority did not change it), so Firefox's own
// JSON viewer shows the response and the viewer does not appear. Known limitation, README.
const ctx = viewerScenarios(firefoxWithJsonViewer, { queryMode: false });

describe('the viewer setting off (Firefox)', () => {
  it('leaves Firefox’s own JSON viewer to show the response; on again brings the viewer back', async () => {
    const { ext, page } = ctx;
    // What the options page checkbox saves (the checkbox itself is driven in Chromium).
    await ext.inExtension(async () => {
      const { settings } = await browser.storage.local.get('settings');
      await browser.storage.local.set({ settings: { ...(settings as object), viewer: false } });
    });
    const deadline = Date.now() + 5_000;
    while (
      (await ext.inExtension(() => browser.declarativeNetRequest.getEnabledRulesets())).length &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    expect(await ext.inExtension(() => browser.declarativeNetRequest.getEnabledRulesets())).toEqual([]);

    await page.bringToFront();
    await page.goto('https://api.os.uk/search/names/v1/find?query=Southampton');
    await new Promise((r) => setTimeout(r, 500));
    const raw = await page.evaluate(() => ({
      type: document.contentType,
      viewer: document.getElementById('os-api-keyring-viewer') !== null,
    }));
    expect(raw).toEqual({ type: 'application/json', viewer: false });
    expect(await ctx.pageText()).not.toContain(VIEWER_KEY);

    await ext.inExtension(async () => {
      const { settings } = await browser.storage.local.get('settings');
      await browser.storage.local.set({ settings: { ...(settings as object), viewer: true } });
    });
    const until = Date.now() + 5_000;
    while (
      !(await ext.inExtension(() => browser.declarativeNetRequest.getEnabledRulesets())).includes('viewer') &&
      Date.now() < until
    )
      await new Promise((r) => setTimeout(r, 50));
    await page.goto('https://api.os.uk/search/names/v1/find?query=Southampton&maxresults=5');
    await ctx.waitForViewer((v) => v.drawn === 1, 'viewer back on');
  });
});
