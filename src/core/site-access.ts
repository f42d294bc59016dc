/**
 * Which pages may have their requests to the OS API carry credentials. Local development hosts
 * are allowed by default; any other site only after the user allows it (and the browser grants
 * the host permission that Chromium and Firefox require for the *initiator* of a modified request).
 */
import { LOCAL_PAGE_HOSTS, OS_API_HOST } from './os-api';

export type PageKind = 'local' | 'os-api' | 'site' | 'unsupported';

export interface PageSite {
  kind: PageKind;
  /** `scheme://host` (no port: permissions cover a host on every port), for 'site' and 'local'. */
  site?: string;
  host?: string;
  /** The host-permission match pattern to request for a 'site'. */
  pattern?: string;
}

/** Classify the page a tab shows. Anything but http(s) (extension pages, file:, about:) is unsupported. */
export function pageSite(url: string | undefined): PageSite {
  if (!url) return { kind: 'unsupported' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'unsupported' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'unsupported' };
  const host = parsed.hostname.toLowerCase();
  if (host === OS_API_HOST) return { kind: 'os-api', host };
  const site = `${parsed.protocol}//${host}`;
  if ((LOCAL_PAGE_HOSTS as readonly string[]).includes(host) && parsed.protocol === 'http:')
    return { kind: 'local', site, host };
  return { kind: 'site', site, host, pattern: `${site}/*` };
}

/** The match pattern for an allowed site (`https://example.org` → `https://example.org/*`). */
export function patternForSite(site: string): string {
  return `${site}/*`;
}

/** Normalise what a message claims is a site; null if it is not an allowable one. */
export function normaliseSite(site: string): string | null {
  const page = pageSite(site);
  return page.kind === 'site' && page.site === site ? site : null;
}

/**
 * Hosts whose pages' requests get credentials in addition to the local ones: the allowed sites
 * that the browser has actually granted (a permission revoked in the browser's settings counts as
 * not allowed, even if it is still listed).
 */
export function allowedSiteHosts(allowedSites: readonly string[], grantedPatterns: readonly string[]): string[] {
  const granted = new Set(grantedPatterns);
  return allowedSites.filter((site) => granted.has(patternForSite(site))).map((site) => new URL(site).hostname);
}
