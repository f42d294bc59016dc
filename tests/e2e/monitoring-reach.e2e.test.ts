// What the activity log can see: Chromium reports a page's requests to an extension only when the
// extension may access the page's origin too (the same condition as for changing them), so a
// request from a site the extension has no access to is neither credentialed nor listed.
import { expect, it } from 'vitest';
import { ext, mock, pages, sessionForThisFile } from './session-fixture';

const KEY = 'REACHkey000000000000000000000001';

sessionForThisFile({
  mock: { projects: [{ key: KEY, plan: 'live' }] },
  pages: true,
  projects: [{ name: 'Reach', key: KEY, mode: 'Key header' }],
  active: { name: 'Reach', key: KEY },
});

it('lists a local page’s request but not one from a site the extension cannot access', async () => {
  const local = await ext.context.newPage();
  await local.goto(pages.url('127.0.0.1', '/local'));
  expect(
    await local.evaluate(async () => (await fetch('https://api.os.uk/search/names/v1/find?query=reach-local')).status),
  ).toBe(200);
  const other = await ext.context.newPage();
  await other.goto(pages.url('other.test', '/other'));
  expect(
    await other.evaluate(async () => (await fetch('https://api.os.uk/search/names/v1/find?query=reach-other')).status),
  ).toBe(401);
  expect((await mock.waitForRequest((r) => r.url.includes('reach-other'))).credential.source).toBe('none');
  // A later local request: once it is listed, anything observed before it would be listed too.
  expect(
    await local.evaluate(async () => (await fetch('https://api.os.uk/search/names/v1/find?query=reach-after')).status),
  ).toBe(200);
  const options = await ext.openOptions();
  const paths = () => options.locator('table.activity td.path').allTextContents();
  await expect.poll(async () => (await paths()).some((t) => t.includes('reach-after'))).toBe(true);
  expect((await paths()).filter((t) => t.includes('reach-'))).toEqual([
    '/search/names/v1/find?query=reach-after',
    '/search/names/v1/find?query=reach-local',
  ]);
});
