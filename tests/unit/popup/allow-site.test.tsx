// @vitest-environment happy-dom
/** "Allow on this site" in the popup: a plain-http site is warned about and asked again; an https site is allowed at once. */
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { openPopup, stored } from './setup-popup';

describe('Allow on this site', () => {
  it('a plain-http site: the first click warns and allows nothing; "Allow anyway (plain http)" allows it', async () => {
    const { fake } = await openPopup({
      tab: { id: 4, url: 'http://maps.example.org/page' },
      prepare: (f) => void f.granted.add('http://maps.example.org/*'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Allow on this site' }));
    const warning = await screen.findByRole('alert');
    expect(warning.textContent).toMatch(
      /plain http: anyone on the network path .* can inject script into its pages and spend your key/,
    );
    expect(stored(fake).allowedSites).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Allow anyway (plain http)' }));
    await waitFor(() => expect(stored(fake).allowedSites).toEqual(['http://maps.example.org']));
  });

  it('an https site is allowed at the first click, with no warning', async () => {
    const { fake } = await openPopup({
      tab: { id: 4, url: 'https://maps.example.org/page' },
      prepare: (f) => void f.granted.add('https://maps.example.org/*'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Allow on this site' }));
    await waitFor(() => expect(stored(fake).allowedSites).toEqual(['https://maps.example.org']));
    expect(screen.queryByText(/plain http/)).toBeNull();
  });
});
