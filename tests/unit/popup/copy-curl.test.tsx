// @vitest-environment happy-dom
/**
 * The popup's "Copy as curl" section, rendered in the real popup against the REAL background on a
 * fake browser: the command is built by the background from the active project's credential, put
 * on the clipboard, and never shown; only https://api.os.uk URLs are accepted.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RedactedProject } from '../../../src/core/redact';
import { CopyCurl } from '../../../src/ui/copy-curl';
import type { KeyringClient } from '../../../src/ui/keyring-client';
import { KEY_A, addProject, choose, openPopup } from './setup-popup';

const TILE = 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png';
/** The popup offers Copy as curl on an OS API page (for any URL, the options page's Keys has it). */
const OS_API_TAB = { id: 41, url: TILE };

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

function mockClipboard() {
  const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
  vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
  return writeText;
}

function urlField(): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>('textbox', { name: 'OS API URL' });
}

async function copyFor(url: string): Promise<void> {
  fireEvent.click(screen.getByText('Copy as curl'));
  fireEvent.input(urlField(), { target: { value: url } });
  fireEvent.click(screen.getByRole('button', { name: 'Copy curl command' }));
}

describe('Copy as curl in the popup', () => {
  it('is not offered when Off', async () => {
    await openPopup({ tab: OS_API_TAB });
    expect(screen.queryByText('Copy as curl')).toBeNull();
  });

  it('key header: copies curl with the key header, warns it is a secret, and never shows the key', async () => {
    const writeText = mockClipboard();
    await openPopup({ tab: OS_API_TAB });
    await addProject({ name: 'Live', key: KEY_A, mode: 'header' });
    await choose('Live');
    expect(urlField().getAttribute('aria-describedby')).toBe('curl-warning');
    expect(document.getElementById('curl-warning')?.textContent).toMatch(
      /contains Live’s API key in plain text\. It is a secret/,
    );

    await copyFor(TILE);

    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    expect(writeText).toHaveBeenCalledWith(`curl '${TILE}' -H 'key: ${KEY_A}'`);
    const note = await screen.findByRole('status');
    expect(note.textContent).toBe('Copied. The command contains Live’s API key: treat it as a secret.');
    expect(document.body.textContent).not.toContain(KEY_A);
  });

  it('key query parameter: the key goes into the URL', async () => {
    const writeText = mockClipboard();
    await openPopup({ tab: OS_API_TAB });
    await addProject({ name: 'Live', key: KEY_A, mode: 'query' });
    await choose('Live');
    await copyFor(`${TILE}?key=old#frag`);
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(`curl '${TILE}?key=${KEY_A}'`));
  });

  it('OAuth 2: the current bearer token, not the key', async () => {
    const writeText = mockClipboard();
    await openPopup({ tab: OS_API_TAB });
    await addProject({ name: 'Live', key: KEY_A, secret: 'S3cret', mode: 'oauth' });
    await choose('Live');
    await copyFor(TILE);
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(`curl '${TILE}' -H 'Authorization: Bearer TOKEN1'`));
    expect(document.getElementById('curl-warning')?.textContent).toContain('live OAuth 2 token');
  });

  it('refuses anything but https://api.os.uk before asking the background, and says why', async () => {
    const writeText = mockClipboard();
    const { client } = await openPopup({ tab: OS_API_TAB });
    await addProject({ name: 'Live', key: KEY_A, mode: 'header' });
    await choose('Live');
    const send = vi.spyOn(client, 'send');

    await copyFor('https://api.os.uk.evil.test/maps/raster/v1/zxy/Road_3857/7/63/42.png');

    expect((await screen.findByRole('alert')).textContent).toMatch(/Only https:\/\/api\.os\.uk URLs get a credential/);
    expect(urlField().getAttribute('aria-invalid')).toBe('true');
    expect(send).not.toHaveBeenCalledWith('copyCurlCommand', expect.anything());
    expect(writeText).not.toHaveBeenCalled();
  });

  it('the background refuses a non-OS URL and a switched-Off keyring too (the popup is not the only check)', async () => {
    const { client } = await openPopup({ tab: OS_API_TAB });
    await addProject({ name: 'Live', key: KEY_A, mode: 'header' });
    await expect(client.send('copyCurlCommand', { url: TILE })).rejects.toThrow(/No project is active/);
    await choose('Live');
    await expect(client.send('copyCurlCommand', { url: 'http://api.os.uk/x' })).rejects.toThrow(
      /Only https:\/\/api\.os\.uk/,
    );
    await expect(client.send('copyCurlCommand', { url: TILE })).resolves.toEqual({
      command: `curl '${TILE}' -H 'key: ${KEY_A}'`,
    });
  });

  it('says so when the clipboard refuses', async () => {
    const writeText = mockClipboard();
    writeText.mockRejectedValueOnce(new Error('Document is not focused.'));
    await openPopup({ tab: OS_API_TAB });
    await addProject({ name: 'Live', key: KEY_A, mode: 'header' });
    await choose('Live');
    await copyFor(TILE);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not copy: Document is not focused.');
  });
});

describe('the URL field', () => {
  const project: RedactedProject = {
    id: 'p1',
    name: 'Live',
    authMode: 'header',
    mode: 'live',
    keyChangedAt: 0,
    badgeText: 'L',
    color: '#1d70b8',
    revision: 1,
    maskedKey: '••••2345',
    hasKey: true,
    hasSecret: false,
  };
  const client: KeyringClient = { send: () => Promise.reject(new Error('unused')), subscribe: () => () => undefined };

  it('starts with the current tab’s URL when it is an OS API URL', () => {
    render(<CopyCurl client={client} project={project} tabUrl={TILE} />);
    expect(urlField().value).toBe(TILE);
  });

  it('starts empty for any other page', () => {
    render(<CopyCurl client={client} project={project} tabUrl="http://localhost:5180/leaflet/" />);
    expect(urlField().value).toBe('');
  });

  it('fills in a tab URL that arrives after the first render, unless something was typed', () => {
    const { rerender } = render(<CopyCurl client={client} project={project} />);
    expect(urlField().value).toBe('');
    rerender(<CopyCurl client={client} project={project} tabUrl={TILE} />);
    expect(urlField().value).toBe(TILE);
  });
});
