// The response viewer in Chromium: the shared scenarios (scenarios/viewer.ts), then turning it off
// with the real checkbox on the options page.
import { describe, expect, it } from 'vitest';
import { chromiumTarget } from './chromium-driver';
import { savePopupScreenshot } from './extension-harness';
import { VIEWER_KEY, viewerScenarios } from './scenarios/viewer';

const ctx = viewerScenarios(chromiumTarget);

describe('the viewer setting (options page)', () => {
  it('off leaves the browser’s own rendering of the raw document; on brings the viewer back', async () => {
    const { ext, page } = ctx;
    const options = await ext.session.openOptions();
    await options.getByRole('link', { name: 'Settings' }).click();
    const box = options.getByRole('checkbox', { name: 'Response viewer' });
    await expect.poll(() => box.isChecked()).toBe(true);
    await box.uncheck();
    await options.getByText('The response viewer is off').waitFor();
    await expect.poll(() => ext.inExtension(() => chrome.declarativeNetRequest.getEnabledRulesets())).toEqual([]);

    await page.bringToFront();
    await page.goto('https://api.os.uk/search/names/v1/find?query=Southampton');
    const raw = await page.evaluate(() => ({
      type: document.contentType,
      viewer: document.getElementById('os-api-keyring-viewer') !== null,
      text: document.body.innerText,
    }));
    expect(raw.type).toBe('application/json');
    expect(raw.viewer).toBe(false);
    expect(JSON.parse(raw.text.trim().split('\n')[0]!)).toMatchObject({ header: { totalresults: 1 } });
    expect(await ctx.pageText()).not.toContain(VIEWER_KEY);

    await options.bringToFront();
    await box.check();
    await options.getByText('The response viewer is on').waitFor();
    await page.bringToFront();
    await page.reload();
    await ctx.waitForViewer((v) => v.drawn === 1, 'viewer back on');
    await options.close();
  });
});

describe('the viewer at desktop size (the README screenshot)', () => {
  it('draws the 25 features and every tile of the fitted view loads', async () => {
    const { ext, mock } = ctx;
    const page = await ext.session.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    mock.clear();
    await page.goto('https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=25');
    // The map's own marks (src/viewer/map-view.ts): features on the fitted map, then Leaflet's `load` (all tiles in).
    await page.waitForFunction(() => performance.getEntriesByName('os-api-keyring-viewer:tiles-loaded').length > 0);
    expect(await page.evaluate(() => performance.getEntriesByName('os-api-keyring-viewer:features-drawn').length)).toBe(
      1,
    );
    expect(
      await page.evaluate(() =>
        document.getElementById('os-api-keyring-viewer')?.shadowRoot?.querySelector('.map')?.getAttribute('data-drawn'),
      ),
    ).toBe('25');
    const tiles = mock.requests.filter((r) => r.path.startsWith('/maps/raster/v1/zxy/Light_3857/'));
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((r) => r.status === 200 && r.headers.key === VIEWER_KEY)).toBe(true);
    await savePopupScreenshot(page, 'viewer', 'body');
    expect(
      await page.evaluate(
        () =>
          document.documentElement.outerHTML +
          (document.getElementById('os-api-keyring-viewer')?.shadowRoot?.innerHTML ?? ''),
      ),
    ).not.toContain(VIEWER_KEY);
    await page.close();
  });
});
