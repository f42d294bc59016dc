/**
 * Where the credential may be used: what the current page is allowed, an "Allow on this site"
 * button for other sites (asking the browser for that origin's permission at the click), and the
 * list of allowed sites with a way to revoke each.
 */
import type { PageAccess } from '../core/messages';

interface Props {
  page: PageAccess | null;
  allowedSites: string[];
  /** Must call the browser's permission request synchronously within the click. */
  onAllow: (site: string) => void;
  onRevoke: (site: string) => void;
}

/** One sentence about this tab's page: does it get the credential? (The popup's status card says the same.) */
export function pageSentence(page: PageAccess): string {
  switch (page.kind) {
    case 'local':
      // Short enough for one line of the popup's status card (the popup must stay under 600 px).
      return `This local page (${page.site ?? ''}) gets the credential.`;
    case 'os-api':
      return 'This is an OS API page: it gets the credential.';
    case 'unsupported':
      return 'This page is not a website, so nothing applies to it.';
    case 'site':
      if (page.allowed)
        return `This site (${page.site ?? ''}) is allowed: its requests to api.os.uk get the credential.`;
      if (page.listed)
        return `This site (${page.site ?? ''}) is on your list, but the browser’s permission for it was withdrawn: its requests get no credential.`;
      return `This site (${page.site ?? ''}) is not allowed: its requests to api.os.uk get no credential.`;
  }
}

export function SiteAccessPanel({ page, allowedSites, onAllow, onRevoke }: Props) {
  return (
    <section aria-labelledby="sites-heading" class="sites page">
      <h2 id="sites-heading">Sites</h2>
      {page && <p id="page-access">{pageSentence(page)}</p>}
      {page?.kind === 'site' && !page.allowed && page.site && (
        <button type="button" aria-describedby="page-access" onClick={() => onAllow(page.site!)}>
          Allow on this site
        </button>
      )}
      {allowedSites.length > 0 ? (
        <ul class="site-list" aria-label="Allowed sites">
          {allowedSites.map((site) => (
            <li key={site}>
              <span class="mono">{site}</span>{' '}
              <button type="button" class="danger" aria-label={`Revoke ${site}`} onClick={() => onRevoke(site)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">No other sites allowed.</p>
      )}
      <p class="hint">
        Local pages (localhost, 127.0.0.1, [::1]) are always allowed. To allow another site, open it in a tab and choose{' '}
        <strong>Allow on this site</strong> in the toolbar popup. An allowed site’s subdomains are allowed with it, over
        both http and https (the browser’s rules match a host with its subdomains, whatever the scheme).
      </p>
    </section>
  );
}
