/**
 * Names a navigation's initiator can be "under" for the rules to know it came from some web page,
 * as declarativeNetRequest `initiatorDomains` entries (which match a host and every subdomain).
 *
 * Why a list at all: browser-initiated loads (typed URLs, bookmarks, reloads, back/forward) have
 * no initiator, and DNR has no condition for "has an initiator". An `initiatorDomains` list that
 * covers every name a web page can be served from is the closest: it never matches a typed URL
 * and matches a link from any web site. The measurements behind each part are in
 * docs/navigation-guard.md.
 */
import tlds from 'tlds';

/**
 * Names that are not delegated in the DNS root but that pages are served from on real networks:
 * RFC 6761 (test, example, invalid), mDNS (local, RFC 6762), ICANN's private-use `internal`, Tor
 * (onion) and the common home-router and company suffixes. `localhost` is left out on purpose:
 * its pages are the developer's own and are allowed anyway.
 */
export const SPECIAL_USE_NAMES = [
  'test',
  'example',
  'invalid',
  'local',
  'internal',
  'onion',
  'home',
  'lan',
  'corp',
  'intranet',
  'private',
] as const;

/** Which engine's rules to build: they accept different entries (see below). */
export type RuleEngine = 'chromium' | 'firefox';

let cached: { chromium: readonly string[]; firefox: readonly string[] } | null = null;

/**
 * Every public top-level domain (IANA's list, from the `tlds` package, in the ASCII form DNR
 * requires: Chromium refuses non-ASCII entries), the special-use names, and per engine:
 * - Chromium: the labels 0–255, which Chromium matches as the last part of an IPv4 literal
 *   initiator (a page on http://203.0.113.7 is "under" `7`). Firefox refuses them ("Invalid domain 0").
 * - Firefox: each name again with a trailing dot, because Firefox keeps the dot of a fully
 *   qualified host (`https://evil.example.com./`) and would not match it against `com`. Chromium
 *   already matches such hosts without these entries.
 */
export function publicNameSuffixes(engine: RuleEngine): readonly string[] {
  if (!cached) {
    const base = [...new Set([...tlds.map(toAscii), ...SPECIAL_USE_NAMES])].sort();
    cached = {
      chromium: [...base, ...Array.from({ length: 256 }, (_, i) => String(i))],
      firefox: [...base, ...base.map((name) => `${name}.`)],
    };
  }
  return cached[engine];
}

/** IDN top-level domains (e.g. `рф`) in punycode (`xn--p1ai`), as URL parsing gives them. */
function toAscii(label: string): string {
  return new URL(`http://x.${label}`).hostname.slice(2);
}
