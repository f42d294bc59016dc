// @vitest-environment happy-dom
/** The Sites list says what allowing a site covers: its subdomains, over http and https. */
import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { SiteAccessPanel } from '../../../src/ui/site-access-panel';

describe('Sites list', () => {
  it('says that an allowed site comes with its subdomains, over http and https', () => {
    render(
      <SiteAccessPanel
        page={null}
        allowedSites={['https://maps.example.org']}
        onAllow={() => undefined}
        onRevoke={() => undefined}
      />,
    );
    expect(screen.getByRole('list', { name: 'Allowed sites' }).textContent).toContain('https://maps.example.org');
    expect(screen.getByText(/An allowed site’s subdomains are allowed with it, over both http and https/)).toBeTruthy();
  });
});
