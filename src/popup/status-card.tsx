/**
 * The top of the popup: what is attached right now and to which site (this tab's page), with
 * the OAuth countdown when the active project uses OAuth 2, and the controls that belong to this
 * tab (allow or revoke its site, pin another project to it).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { PageAccess } from '../core/messages';
import type { AuthMode } from '../core/project';
import type { RedactedProject } from '../core/redact';
import { BadgeChip } from '../ui/badge-chip';
import { pageSentence } from '../ui/site-access-panel';

const MODE_PHRASES: Record<AuthMode, string> = {
  header: 'a key header',
  query: 'a key query parameter',
  oauth: 'an OAuth 2 bearer token',
};

/**
 * Said before a plain-http site is allowed (issue 14): the first click on "Allow on this site"
 * shows this and asks again; only the second click asks the browser and allows the site.
 */
export const PLAIN_HTTP_WARNING =
  'This site uses plain http: anyone on the network path (public Wi-Fi, a proxy) can inject script into its pages and spend your key. Allow it only on a network you trust.';

export type Attachment = 'attaching' | 'no-host-access' | 'no-key' | 'no-token' | 'off';

interface Props {
  active: RedactedProject | undefined;
  attachment: Attachment;
  page: PageAccess | null | undefined;
  onAllowSite: (site: string) => void;
  onRevokeSite: (site: string) => void;
  /** The OAuth panel and the tab pin, when they apply. */
  children?: ComponentChildren;
}

export function StatusCard({ active, attachment, page, onAllowSite, onRevokeSite, children }: Props) {
  const tone = attachment === 'attaching' ? 'on' : attachment === 'off' ? 'off' : 'problem';
  return (
    <section class={`status-card ${tone}`} aria-label="Now">
      {/* The sentence is one run of text (with the badge before it): tests and screen readers read it whole. */}
      <p class="status-line" aria-live="polite" id="status">
        {active && attachment === 'attaching' ? (
          <>
            <BadgeChip text={active.badgeText} color={active.color} /> Attaching <strong>{active.name}</strong>{' '}
            <span class="status-detail">
              as {MODE_PHRASES[active.authMode]} (key <span class="mono">{active.maskedKey}</span>) to requests for
              api.os.uk.
            </span>
          </>
        ) : active ? (
          <>
            Selected <strong>{active.name}</strong>,{' '}
            <span class="status-detail">
              {attachment === 'no-host-access'
                ? 'but nothing is attached: this browser has not given access to api.os.uk.'
                : attachment === 'no-key'
                  ? 'but nothing is attached: it has no key. Edit it and enter the key.'
                  : 'but nothing is attached: it has no valid OAuth 2 token.'}
            </span>
          </>
        ) : (
          <>Off: no credential is attached.</>
        )}
      </p>
      {page && page.kind !== 'unsupported' && (
        <div class="page-line">
          <p id="page-access">{pageSentence(page)}</p>
          {page.kind === 'site' && !page.allowed && page.site && <AllowButton site={page.site} onAllow={onAllowSite} />}
          {page.kind === 'site' && page.listed && page.site && (
            <button
              type="button"
              class="danger"
              aria-label={`Revoke ${page.site}`}
              onClick={() => onRevokeSite(page.site!)}
            >
              Revoke
            </button>
          )}
        </div>
      )}
      {children}
    </section>
  );
}

/** "Allow on this site"; for a plain-http site, a warning first and "Allow anyway (plain http)". */
function AllowButton({ site, onAllow }: { site: string; onAllow: (site: string) => void }) {
  const [warned, setWarned] = useState(false);
  const plainHttp = site.startsWith('http:');
  if (plainHttp && warned) {
    return (
      <>
        <p class="hint warning" id="plain-http-warning" role="alert">
          {PLAIN_HTTP_WARNING}
        </p>
        <button type="button" aria-describedby="plain-http-warning" onClick={() => onAllow(site)}>
          Allow anyway (plain http)
        </button>
      </>
    );
  }
  return (
    <button type="button" aria-describedby="page-access" onClick={() => (plainHttp ? setWarned(true) : onAllow(site))}>
      Allow on this site
    </button>
  );
}
