// @vitest-environment happy-dom
/**
 * The popup's OAuth 2 section ("OAuth 2 bearer mode"): countdown, last refresh, errors, Refresh
 * token now and Copy token, rendered against the REAL background on a fake browser whose token
 * endpoint and clock are scripted by a FakeEnv.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DnrRule } from '../../../src/core/dnr-rule';
import type { FakeBrowser } from '../../fakes/fake-browser';
import { settle } from '../../fakes/settle';
import {
  KEY_A,
  KEY_B,
  addProject,
  choose,
  findAlert,
  openAddForm,
  openPopup,
  fillForm,
  projectRadio,
  saveExpectingError,
  secretField,
  statusLine,
  stored,
  type Popup,
} from './setup-popup';

const SECRET = 'S3cretForOAuth';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Every Authorization / key value the installed session rules attach. */
function attached(fake: FakeBrowser): string[] {
  const rules: DnrRule[] = fake.sessionRules;
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

function oauthSection(): HTMLElement {
  return screen.getByRole('region', { name: 'OAuth 2 token' });
}

function queryOAuthSection(): HTMLElement | null {
  return screen.queryByRole('region', { name: 'OAuth 2 token' });
}

/** The value shown for a term ("Time left", "Last refresh") in the section's description list. */
function termValue(term: string): string {
  const dt = within(oauthSection()).getByText(term, { selector: 'dt' });
  return dt.nextElementSibling?.textContent ?? '';
}

/** Seconds in a countdown such as "40 s" or "4 min 59 s". */
function seconds(text: string): number {
  const match = /^(?:(\d+) min )?(\d+) s$/.exec(text);
  if (!match) throw new Error(`Not a countdown: "${text}"`);
  return Number(match[1] ?? 0) * 60 + Number(match[2]);
}

function refreshButton(): HTMLButtonElement {
  return within(oauthSection()).getByRole<HTMLButtonElement>('button', { name: 'Refresh token now' });
}

function copyButton(): HTMLButtonElement {
  return within(oauthSection()).getByRole<HTMLButtonElement>('button', { name: 'Copy token' });
}

/**
 * With fake timers: let the popup settle, then wait until the panel's effect has started its
 * (faked) one-second interval. Preact runs effects after the next paint, which in happy-dom comes
 * a little after the render. Polled with real setTimeout, not waitFor: waitFor polls with
 * setInterval, which is faked here and would count as a timer.
 */
async function countdownRunning(): Promise<void> {
  await settle();
  for (let i = 0; i < 100 && vi.getTimerCount() === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(vi.getTimerCount()).toBe(1);
}

async function addOAuthProject(name = 'Live', key = KEY_A): Promise<void> {
  await addProject({ name, key, secret: SECRET, mode: 'oauth' });
}

/** Choose a project whose token is refused: the status line says so instead of "Attaching". */
async function chooseExpectingNothingAttached(name: string): Promise<void> {
  fireEvent.click(projectRadio(name));
  await waitFor(() => {
    expect(statusLine().textContent).toContain(`Selected ${name}, but nothing is attached`);
    expect(projectRadio(name).checked).toBe(true);
  });
}

describe('adding an OAuth project', () => {
  it('refuses OAuth 2 without an API secret, and stores nothing', async () => {
    const { fake, env } = await openPopup();
    await openAddForm();
    fillForm({ name: 'Live', key: KEY_A, mode: 'oauth' });

    const message = await saveExpectingError();

    expect(message).toContain('OAuth 2 needs the project’s API secret as well as its key.');
    expect(secretField().getAttribute('aria-invalid')).toBe('true');
    const description = (secretField().getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent);
    expect(description).toContain('OAuth 2 needs the project’s API secret as well as its key.');
    expect(stored(fake).projects).toEqual([]);
    expect(env.tokenRequests).toEqual([]);
  });
});

describe('the OAuth 2 token section', () => {
  it('shows time left, last refresh and an Attaching status once the token is had; the rules carry it', async () => {
    const { fake, env } = await openPopup();
    await addOAuthProject();
    expect(queryOAuthSection()).toBeNull(); // not active yet
    expect(env.tokenRequests).toHaveLength(0);

    await choose('Live');

    await waitFor(() => expect(termValue('Time left')).toMatch(/^\d+ s$/));
    // The FakeEnv clock stands still; only the popup's own clock has moved (a few ms). The
    // countdown runs to when the token stops being attached: 2 s before it expires.
    const left = seconds(termValue('Time left'));
    expect(left).toBeLessThanOrEqual(env.tokenLifetimeS - 2);
    expect(left).toBeGreaterThanOrEqual(env.tokenLifetimeS - 3);
    const refreshedAt = new Date(env.time).toLocaleTimeString('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    expect(termValue('Last refresh')).toBe(refreshedAt);
    // The status line opens with the project's badge chip (hidden from assistive technology).
    expect(statusLine().textContent).toMatch(
      /^LIVE Attaching Live as an OAuth 2 bearer token \(key •+2345\) to\s+requests for api\.os\.uk\.$/,
    );
    expect(within(oauthSection()).queryByRole('alert')).toBeNull();
    expect(copyButton().disabled).toBe(false);
    expect(refreshButton().disabled).toBe(false);
    expect(env.tokenRequests).toHaveLength(1);
    expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN1']);
  });

  it('counts down live, once a second', async () => {
    // Only the popup's interval and Date are faked: the background's clock is the FakeEnv's (which
    // stands still here), and setTimeout stays real so the fake browser's messaging still works.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { env } = await openPopup();
    await addOAuthProject();
    await choose('Live');
    await countdownRunning();
    expect(termValue('Time left')).toBe(`${env.tokenLifetimeS - 2} s`);

    await act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(termValue('Time left')).toBe(`${env.tokenLifetimeS - 3} s`);

    await act(() => {
      vi.advanceTimersByTime(5_000);
    });
    expect(termValue('Time left')).toBe(`${env.tokenLifetimeS - 8} s`);
    expect(copyButton().disabled).toBe(false);

    // Run out the clock (the background, frozen, never refreshes): nothing left to copy.
    await act(() => {
      vi.advanceTimersByTime((env.tokenLifetimeS - 8) * 1_000);
    });
    expect(termValue('Time left')).toBe('No valid token');
    expect(copyButton().disabled).toBe(true);
  });

  it('formats longer lifetimes in minutes and seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { env } = await openPopup();
    env.tokenLifetimeS = 299;
    await addOAuthProject();
    await choose('Live');
    await countdownRunning();
    expect(termValue('Time left')).toBe('4 min 57 s');

    await act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(termValue('Time left')).toBe('3 min 57 s');
  });

  it('reports a refused key or secret: nothing attached, nothing to copy', async () => {
    const { fake, env } = await openPopup();
    await addOAuthProject();
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client"}' });

    await chooseExpectingNothingAttached('Live');

    const alert = await findAlert('Token refused.');
    expect(oauthSection().contains(alert)).toBe(true);
    expect(alert.textContent).toContain('rejected this project’s API key or secret');
    expect(alert.textContent).toContain('Nothing is attached to requests until this is fixed.');
    expect(statusLine().textContent).toBe('Selected Live, but nothing is attached: it has no valid OAuth 2 token.');
    expect(termValue('Time left')).toBe('No valid token');
    expect(termValue('Last refresh')).toBe('Never');
    expect(copyButton().disabled).toBe(true);
    expect(fake.sessionRules).toEqual([]);
    // A refused secret is not retried behind the user's back.
    await env.advance(120_000, settle);
    expect(env.tokenRequests).toHaveLength(1);
  });
});

describe('Refresh token now', () => {
  it('gets a new token at once and attaches it', async () => {
    const { fake, env } = await openPopup();
    await addOAuthProject();
    await choose('Live');
    await waitFor(() => expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN1']));

    await env.advance(5_000, settle);
    fireEvent.click(refreshButton());

    await waitFor(() => expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN2']));
    expect(env.tokenRequests).toHaveLength(2);
    const refreshedAt = new Date(env.time).toLocaleTimeString('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    await waitFor(() => expect(termValue('Last refresh')).toBe(refreshedAt));
    // The new token's full usable time (lifetime less the 2 s guard), not the old token's.
    expect(seconds(termValue('Time left'))).toBeLessThanOrEqual(env.tokenLifetimeS - 2);
    expect(seconds(termValue('Time left'))).toBeGreaterThanOrEqual(env.tokenLifetimeS - 3);
    expect(statusLine().textContent).toContain('Attaching Live as an OAuth 2 bearer token');
  });

  it('recovers from a refused token once the endpoint accepts the project', async () => {
    const { fake, env } = await openPopup();
    await addOAuthProject();
    env.replies.push({ status: 401, body: '{"ErrorCode":"invalid_client"}' });
    await chooseExpectingNothingAttached('Live');
    await findAlert('Token refused.');

    fireEvent.click(refreshButton()); // the default reply is a good token

    await waitFor(() => expect(statusLine().textContent).toContain('Attaching Live as an OAuth 2 bearer token'));
    await waitFor(() => expect(screen.queryAllByRole('alert')).toEqual([]));
    expect(env.tokenRequests).toHaveLength(2);
    expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN1']);
    expect(copyButton().disabled).toBe(false);
    expect(termValue('Time left')).toMatch(/^\d+ s$/);
  });
});

describe('a transient failure', () => {
  it('says when it retries, and keeps the current token in use', async () => {
    const { fake, env } = await openPopup();
    await addOAuthProject();
    await choose('Live');
    await waitFor(() => expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN1']));
    env.replies.push({ status: 500, body: 'Internal Server Error' });

    // A 40 s token is refreshed at 30 s; that refresh fails.
    await env.advance(30_000, settle);

    const alert = await findAlert('Token refresh failed.');
    expect(env.tokenRequests).toHaveLength(2);
    expect(alert.textContent).toContain('The token endpoint failed (HTTP 500).');
    expect(alert.textContent).toContain('Retrying in 2 s. The current token stays in use until then.');
    expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN1']);
    expect(statusLine().textContent).toContain('Attaching Live as an OAuth 2 bearer token');
    const left = seconds(termValue('Time left'));
    expect(left).toBeLessThanOrEqual(8);
    expect(left).toBeGreaterThanOrEqual(7);
    expect(copyButton().disabled).toBe(false);

    // The retry 2 s later succeeds: the error goes and the new token replaces the old one.
    await env.advance(2_000, settle);
    await waitFor(() => expect(attached(fake)).toEqual(['Authorization: Bearer TOKEN2']));
    await waitFor(() => expect(within(oauthSection()).queryByRole('alert')).toBeNull());
    expect(env.tokenRequests).toHaveLength(3);
  });
});

describe('Copy token', () => {
  async function withToken(): Promise<Popup & { writeText: ReturnType<typeof vi.fn> }> {
    const popup = await openPopup();
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    await addOAuthProject();
    await choose('Live');
    await waitFor(() => expect(copyButton().disabled).toBe(false));
    return { ...popup, writeText };
  }

  it('copies exactly the current token only when asked, and warns that it is a secret', async () => {
    const { writeText, env } = await withToken();
    expect(writeText).not.toHaveBeenCalled();
    expect(document.body.textContent).not.toContain('TOKEN');
    expect(screen.queryByRole('status')).toBeNull();

    fireEvent.click(copyButton());

    const note = await screen.findByRole('status');
    expect(note.textContent).toContain('Token copied. It is a secret');
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText).toHaveBeenCalledWith('TOKEN1');
    expect(document.body.textContent).not.toContain('TOKEN');
    expect(document.body.textContent).not.toContain(SECRET);
    expect(env.tokenRequests).toHaveLength(1); // copying does not fetch a token

    // After a refresh, the new token is what gets copied.
    fireEvent.click(refreshButton());
    await waitFor(() => expect(env.tokenRequests).toHaveLength(2));
    await settle();
    fireEvent.click(copyButton());
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(2));
    expect(writeText).toHaveBeenLastCalledWith('TOKEN2');
    expect(document.body.textContent).not.toContain('TOKEN');
  });

  it('does not carry the copied note over to another OAuth project', async () => {
    const { writeText, env } = await withToken();
    await addOAuthProject('Other', KEY_B);
    fireEvent.click(copyButton());
    await screen.findByRole('status');

    await choose('Other');

    await waitFor(() => expect(env.tokenRequests).toHaveLength(2));
    expect(screen.queryByRole('status')).toBeNull();
    expect(writeText).toHaveBeenCalledTimes(1);
  });

  it('says so when the clipboard refuses', async () => {
    const { writeText } = await withToken();
    writeText.mockRejectedValueOnce(new Error('Document is not focused.'));

    fireEvent.click(copyButton());

    const note = await screen.findByRole('status');
    expect(note.textContent).toBe('Could not copy: Document is not focused.');
    expect(document.body.textContent).not.toContain('TOKEN');
  });
});

describe('when the section is absent', () => {
  it('does not show for a key-mode project, for Off, or for an OAuth project that is not active', async () => {
    const { env } = await openPopup();
    await addProject({ name: 'Roads', key: KEY_B, mode: 'header' });
    await addOAuthProject();

    await choose('Roads');
    expect(statusLine().textContent).toContain('Attaching Roads as a key header');
    expect(queryOAuthSection()).toBeNull();
    expect(screen.queryByRole('button', { name: 'Refresh token now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy token' })).toBeNull();

    await choose('Live');
    await waitFor(() => expect(queryOAuthSection()).not.toBeNull());

    await choose('Off');
    expect(queryOAuthSection()).toBeNull();

    await choose('Roads');
    expect(queryOAuthSection()).toBeNull();
    expect(env.tokenRequests).toHaveLength(1); // only activating Live fetched a token
  });
});
