// OAuth 2 bearer mode end to end in Debian's Firefox ESR: the shared scenarios (scenarios/oauth.ts).
// Firefox runs the background as a non-persistent event page, so the refreshes here also go
// through its alarms when it has been suspended.
import { describe, expect, it } from 'vitest';
import { credentialsIn } from './driver';
import { firefoxTarget } from './firefox-harness';
import { editProject } from './popup-actions';
import { KEY, SECRET, oauthScenarios } from './scenarios/oauth';

const ctx = oauthScenarios(firefoxTarget);

describe('Firefox only', () => {
  it('after fixing the secret, Copy token works from the popup (clipboard access on a click)', async () => {
    const { ext, mock, popup } = ctx;
    await editProject(popup, 'Live OAuth', { secret: SECRET });
    await ext.waitForRules((r) => credentialsIn(r).some((c) => c.startsWith('Bearer ')), 'Bearer rule again', 10_000);
    const copy = popup.getByRole('button', { name: 'Copy token' });
    await popup.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('button[aria-describedby="copy-warning"]')?.disabled,
      undefined,
    );
    // Keep what the popup writes, and still write it: the real clipboard call must succeed (it needs
    // the click's user activation), or the popup says "Could not copy".
    await popup.evaluate(() => {
      const write = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text: string) => {
        (window as unknown as { copied?: string }).copied = text;
        return write(text);
      };
    });
    await copy.click();
    await expect(popup.getByRole('status').textContent()).resolves.toMatch(/^Token copied\./);
    // What was copied is a token the token endpoint issued for this key (not the key or the secret).
    const copied = await popup.evaluate(() => (window as unknown as { copied?: string }).copied);
    expect(
      mock
        .issuedTokens()
        .filter((t) => t.key === KEY)
        .map((t) => t.token),
    ).toContain(copied);
  });
});
