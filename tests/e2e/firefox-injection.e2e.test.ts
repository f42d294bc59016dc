// The shared key header / key query / switching / Off scenarios (scenarios/injection.ts) in
// Debian's Firefox ESR, plus Firefox's own: host access the user has withheld.
import { describe, expect, it } from 'vitest';
import { credentialsIn } from './driver';
import { firefoxTarget } from './firefox-harness';
import { activate } from './popup-actions';
import { LIVE_KEY, TILE, injectionScenarios } from './scenarios/injection';

const ctx = injectionScenarios(firefoxTarget);

describe('host access withheld (Firefox lets the user revoke MV3 host permissions)', () => {
  it('the popup says so, nothing is attached, and Grant access restores it', async () => {
    const { ext, popup, page, tag, received } = ctx;
    await activate(popup, 'Live');
    await ext.waitForRules((r) => credentialsIn(r).includes(LIVE_KEY), 'Live active');
    await expect(popup.getByRole('button', { name: 'Grant access' }).count()).resolves.toBe(0);

    // What about:addons → Permissions does when the user switches api.os.uk off.
    expect(await ext.inExtension(() => browser.permissions.remove({ origins: ['https://api.os.uk/*'] }))).toBe(true);
    await popup.bringToFront();
    const notice = popup.locator('#host-access');
    await expect(notice.textContent()).resolves.toContain(
      'has not given OS API Keyring access to api.os.uk, so no credential is attached to any request',
    );
    await expect(popup.getByRole('alert').first().textContent()).resolves.toContain('api.os.uk');
    // The status line no longer claims the key is attached.
    await popup.waitForFunction(
      () =>
        document
          .getElementById('status')
          ?.textContent?.includes(
            'Selected Live, but nothing is attached: this browser has not given access to api.os.uk.',
          ),
      undefined,
    );

    // The rules are still installed, but Firefox does not apply them without host access.
    expect(credentialsIn(await ext.rules())).toEqual([LIVE_KEY]);
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}`);
    expect((await received((x) => x.url.includes(t))).credential.source).toBe('none');
    await popup.screenshot('popup-host-access');

    // A real click, so permissions.request runs while handling user input.
    await popup.getByRole('button', { name: 'Grant access' }).click();
    await popup.getByRole('button', { name: 'Grant access' }).waitFor({ state: 'detached' });
    await popup.waitForFunction(
      () => document.getElementById('status')?.textContent?.includes('Attaching Live as a key header'),
      undefined,
    );
    expect(await ext.inExtension(() => browser.permissions.contains({ origins: ['https://api.os.uk/*'] }))).toBe(true);
    const t2 = tag();
    await page.goto(`https://api.os.uk${TILE}?${t2}`);
    expect((await received((x) => x.url.includes(t2))).headers.key).toBe(LIVE_KEY);
  });

  it('withholding only the local pages says which requests lose the key', async () => {
    const { ext, popup } = ctx;
    await ext.inExtension(() => browser.permissions.remove({ origins: ['http://localhost/*', 'http://[::1]/*'] }));
    await popup.bringToFront();
    await expect(popup.locator('#host-access').textContent()).resolves.toContain(
      'has not given OS API Keyring access to localhost and [::1], so requests that pages there make to api.os.uk get no credential',
    );
    await popup.getByRole('button', { name: 'Grant access' }).click();
    await popup.getByRole('button', { name: 'Grant access' }).waitFor({ state: 'detached' });
  });
});

describe('toolbar menu (Firefox menus in the action context)', () => {
  it('has an item per project and Off', async () => {
    const { ext, popup } = ctx;
    // The popup's radios carry the project ids (active-<id>); the background made a menu item for each.
    const ids = await popup.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input[name="active-project"]')].map((r) =>
        r.id.replace(/^active-/, ''),
      ),
    );
    expect(ids).toContain('off');
    expect(ids.length).toBe(3);
    // contextMenus.update fails (lastError) for an id that does not exist, so it tells which items are there.
    const exists = (id: string) =>
      ext.inExtension(
        (menuId) =>
          new Promise<boolean>((resolve) => {
            chrome.contextMenus.update(menuId, {}, () => resolve(!chrome.runtime.lastError));
          }),
        id,
      );
    for (const id of ids) expect(await exists(`activate:${id}`), id).toBe(true);
    expect(await exists('activate:no-such-project')).toBe(false);
  });
});

describe('activity log (webRequest observation in Firefox)', () => {
  it('records a typed OS API URL with the project and mode that went with it, and no key', async () => {
    const { ext, popup, page, tag, received } = ctx;
    await activate(popup, 'Live');
    await ext.waitForRules((r) => credentialsIn(r).includes(LIVE_KEY), 'Live active');
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}`);
    expect((await received((x) => x.url.includes(t))).headers.key).toBe(LIVE_KEY);
    // Asked from an extension page, exactly as the options page asks.
    const activity = () =>
      ext.inExtension(async () => {
        type Reply = {
          ok: boolean;
          value: {
            rows: { path: string; status: number; projectName: string | null; mode: string | null; label: string }[];
          };
        };
        const reply = await browser.runtime.sendMessage<unknown, Reply>({
          channel: 'os-api-keyring',
          type: 'getActivity',
          args: { limit: 50 },
        });
        return reply.value.rows;
      });
    let row: Awaited<ReturnType<typeof activity>>[number] | undefined;
    for (let i = 0; i < 50 && !row; i++) {
      row = (await activity()).find((r) => r.path.includes(t));
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    expect(row).toMatchObject({ status: 200, projectName: 'Live', mode: 'header', label: 'OS Maps API' });
    expect(JSON.stringify(await activity())).not.toContain(LIVE_KEY);
  });
});
