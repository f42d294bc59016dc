/**
 * "Check access" (issue 5): one cheap request per OS API with a project's credential, and what the
 * answers mean. Pure: the background does the fetching (src/background/check-access.ts).
 *
 * Each probe is a GET that (a) the OS gateway authenticates and checks against the project's APIs,
 * so a 401 `InvalidApiKeyForGivenResource` means "not in the project" (os-apis.md §3.1), and
 * (b) costs one transaction and returns little: a single tile, a metadata document or a one-result
 * search. Deliberately NOT used: `/features/ngd/ofa/v1/collections` and `/downloads/v1/products…`,
 * which OS serves without a key (§1.6, §1.12), so they would pass with any key or none.
 */
import { explainFailure, type CredentialSent } from './explain-failure';
import type { AccessCheckResult } from './monitoring';
import { OS_API_HOST } from './os-api';
import { OS_API_LABELS, OS_APIS, type OsApi } from './os-api-classify';

export interface AccessProbe {
  api: OsApi;
  /** Absolute https://api.os.uk URL, with no credential in it. */
  url: string;
}

const BASE = `https://${OS_API_HOST}`;

// Why each one (section numbers are os-apis.md; every path is also served by tests/mock):
const PROBE_PATHS: Record<OsApi, string> = {
  // §1.3: one EPSG:27700 zoom-0 tile (OpenData zoom; column 2, row 4 covers southern England).
  'maps-raster': '/maps/raster/v1/zxy/Road_27700/0/2/4.png',
  // §1.4: the service metadata, a small JSON document; OS says every VTS resource needs auth.
  'vector-tiles': '/maps/vector/v1/vts',
  // §1.6: one feature. /collections itself is public, so an item read is the smallest gated request.
  'ngd-features': '/features/ngd/ofa/v1/collections/bld-fts-building-1/items?limit=1',
  // §1.5: the single zoom-0 tile of the base collection in EPSG:3857.
  'ngd-tiles': '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/0/0/0',
  // §1.7: one OpenData feature as GeoJSON (much smaller than GetCapabilities).
  'features-wfs':
    '/features/v1/wfs?service=WFS&request=GetFeature&version=2.0.0&typeNames=Zoomstack_Airports&count=1&outputFormat=GEOJSON',
  // §1.8: a one-result search.
  names: '/search/names/v1/find?query=Southampton&maxresults=1',
  // §1.9: one address by UPRN (Ordnance Survey's head office), the narrowest Places query.
  places: '/search/places/v1/uprn?uprn=200010019924',
  // §1.10: the links of that same UPRN.
  'linked-ids': '/search/links/v1/identifiers/200010019924',
  // §1.12: the project's data packages (often an empty list). Unlike /products it needs a key.
  downloads: '/downloads/v1/dataPackages',
};

/** One probe per OS API, in {@link OS_APIS} order. */
export const ACCESS_PROBES: readonly AccessProbe[] = OS_APIS.map((api) => ({ api, url: BASE + PROBE_PATHS[api] }));

/** Shown before a check runs: it spends real transactions, so the user should know. */
export const ACCESS_CHECK_WARNING =
  `Check access sends one request to each of the ${ACCESS_PROBES.length} OS APIs with this project's credential; ` +
  "each counts as one transaction against the project's per-minute rate limit, and against its Premium allowance " +
  'for Premium APIs.';

/** The credential as the extension would attach it: a key (header or query) or an OAuth 2 token. */
export type ProbeCredential = { mode: 'header' | 'query'; key: string } | { mode: 'oauth'; token: string };

export interface ProbeRequest {
  url: string;
  headers: Record<string, string>;
}

/** The request for one probe, carrying the credential in exactly one place, as OS accepts it (§2.1). */
export function probeRequest(probe: AccessProbe, credential: ProbeCredential): ProbeRequest {
  switch (credential.mode) {
    case 'header':
      return { url: probe.url, headers: { key: credential.key } };
    case 'query': {
      // Appended as text rather than through URLSearchParams, which would re-encode the probe's
      // own parameters; the probe URLs carry no `key` to replace.
      const sep = probe.url.includes('?') ? '&' : '?';
      return { url: `${probe.url}${sep}key=${encodeURIComponent(credential.key)}`, headers: {} };
    }
    case 'oauth':
      return { url: probe.url, headers: { Authorization: `Bearer ${credential.token}` } };
  }
}

/** How a credential travels, in the terms explainFailure uses. */
export function credentialSent(credential: ProbeCredential): CredentialSent {
  return credential.mode === 'oauth' ? 'bearer' : credential.mode;
}

/**
 * What one probe's answer means. Only the status and explainFailure's output are kept: the body is
 * read for its error code and (scrubbed) message, never returned. `secret` (the key or token that
 * was sent) is removed from the explanation as well, in case a proxy echoed it in a form the
 * generic scrubbing does not recognise (an all-letter key, say).
 */
export function interpretProbe(
  api: OsApi,
  status: number,
  bodyText: string,
  sent: CredentialSent,
  secret?: string,
): AccessCheckResult {
  const ok = status >= 200 && status < 400;
  const explanation = ok ? null : explainFailure({ status, body: bodyText, api, credential: sent });
  // A very short "secret" would also match ordinary words; real keys and tokens are 28+ characters.
  const clean = (s: string): string => (secret && secret.length >= 8 ? s.split(secret).join('…') : s);
  return {
    api,
    label: OS_API_LABELS[api],
    ok,
    status,
    explanation: explanation && {
      title: clean(explanation.title),
      detail: clean(explanation.detail),
      action: clean(explanation.action),
    },
  };
}
