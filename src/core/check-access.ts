/**
 * "Check access" (issue 5, reworked in issue 15): one cheap request per current OS API with a
 * project's credential, and what the answers mean. Pure: the background does the fetching
 * (src/background/check-access.ts).
 *
 * Each probe is a GET that (a) the OS gateway authenticates and checks against the project's APIs,
 * so a 401 `InvalidApiKeyForGivenResource` means "not in the project" (docs/os-apis.md §3.1), and
 * (b) costs one transaction and returns little: a single tile, a metadata document or a one-result
 * search. Every probe asks for something that exists for any key, so only the credential can make
 * it fail with 401/403; any other failure is "could not check", never "no access".
 */
import { sentAs, type Credential } from './credential';
import { explainFailure, type CredentialSent, type FailureExplanation } from './explain-failure';
import type { AccessCheckResult, AccessOutcome } from './monitoring';
import { OS_API_HOST } from './os-api';
import { CURRENT_OS_APIS, OS_API_LABELS, type OsApi } from './os-api-classify';

export interface AccessProbe {
  api: OsApi;
  /** Absolute https://api.os.uk URL, with no credential in it. */
  url: string;
  /**
   * A public document (no credential, no transaction) read first when the probe URL depends on
   * what OS serves today; `build` turns its body into the probe URL, or null if it cannot.
   */
  discover?: { url: string; build: (body: string) => string | null };
}

const BASE = `https://${OS_API_HOST}`;

/** OS NGD API – Features' public list of collections (§1.6: no key needed). */
export const NGD_COLLECTIONS_URL = `${BASE}/features/ngd/ofa/v1/collections`;

/**
 * The NGD Features collection to probe, from the public `/collections` body: the newest version of
 * the first collection OS lists that is still current. Collection ids end in a version (`-1`, `-2`…)
 * and OS supersedes old versions (docs/os-apis.md §0), so an id is never hard-coded; a collection
 * whose temporal extent has an end, or with a newer version listed, is skipped. NGD Features is a
 * Premium / Public Sector API (OS's R wrapper docs), so no collection is easier to reach than
 * another; `limit=1` keeps the answer to one feature.
 */
export function pickNgdCollection(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const list = (json as { collections?: unknown } | null)?.collections;
  if (!Array.isArray(list)) return null;
  const current: { id: string; base: string; version: number }[] = [];
  for (const c of list as unknown[]) {
    const id = (c as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/i.test(id)) continue;
    const interval = (c as { extent?: { temporal?: { interval?: unknown } } }).extent?.temporal?.interval;
    const end = Array.isArray(interval) && Array.isArray(interval[0]) ? (interval[0] as unknown[])[1] : null;
    if (end !== null && end !== undefined) continue; // OS gave it an end date: superseded.
    const m = /^(.*)-(\d+)$/.exec(id);
    current.push({ id, base: m?.[1] ?? id, version: m ? Number(m[2]) : 0 });
  }
  const first = current[0];
  if (!first) return null;
  const newest = current.filter((c) => c.base === first.base).reduce((a, b) => (b.version > a.version ? b : a));
  return newest.id;
}

// Why each one (section numbers are docs/os-apis.md; every path is also served by tests/mock):
const PROBE_PATHS: Record<Exclude<OsApi, 'match-cleanse' | 'ngd-features'>, string> = {
  // §1.3: one EPSG:27700 zoom-0 tile (OpenData zoom; column 2, row 4 covers southern England).
  'maps-raster': '/maps/raster/v1/zxy/Road_27700/0/2/4.png',
  // §1.4: the service metadata, a small JSON document; OS says every VTS resource needs auth.
  'vector-tiles': '/maps/vector/v1/vts',
  // §0, §1.5: a tile inside the EPSG:3857 tile matrix set, which starts at zoom 6 (a zoom-0 tile
  // fails even with a good key). Zoom 6, row 21, column 31 covers the English Midlands; zoom 6 is
  // not a Premium zoom.
  'ngd-tiles': '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/6/21/31',
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
  // §0: the years that have RINEX data, a short JSON document; every OS Net path needs a key.
  'os-net': '/positioning/osnet/v1/rinex',
};

function probeFor(api: OsApi): AccessProbe {
  if (api === 'ngd-features') {
    // §0, §1.6: /collections is public, so it is read first (free) and one item of a current
    // collection is the probe.
    return {
      api,
      url: `${BASE}/features/ngd/ofa/v1/collections/{collectionId}/items?limit=1`,
      discover: {
        url: NGD_COLLECTIONS_URL,
        build: (body) => {
          const id = pickNgdCollection(body);
          return id ? `${BASE}/features/ngd/ofa/v1/collections/${encodeURIComponent(id)}/items?limit=1` : null;
        },
      },
    };
  }
  return { api, url: BASE + PROBE_PATHS[api as keyof typeof PROBE_PATHS] };
}

/**
 * One probe per current OS API, in {@link CURRENT_OS_APIS} order. OS Match & Cleanse API is not
 * probed: OS withdrew it on 31 March 2026, so it would fail for every key.
 */
export const ACCESS_PROBES: readonly AccessProbe[] = CURRENT_OS_APIS.map(probeFor);

/** Shown before a check runs: it spends real transactions, so the user should know. */
export const ACCESS_CHECK_WARNING =
  `Check access sends one request to each of the ${ACCESS_PROBES.length} current OS APIs with this project's credential; ` +
  "each counts as one transaction against the project's per-minute rate limit, and against its Premium allowance " +
  "for Premium APIs. It first reads OS NGD API – Features' public list of collections, without the key.";

/** The credential as the extension would attach it (core/credential.ts): a key (header or query) or an OAuth 2 token. */
export type ProbeCredential = Credential;

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
  return sentAs(credential.mode);
}

/** What a status means for the credential: only 401/403 are OS refusing it (docs/os-apis.md §3.1). */
export function outcomeOf(status: number): AccessOutcome {
  if (status >= 200 && status < 400) return 'ok';
  if (status === 401 || status === 403) return 'no-access';
  // 400/404/405/406/429/5xx, a timeout or a network error say nothing about the key.
  return 'could-not-check';
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
  const outcome = outcomeOf(status);
  const base = outcome === 'ok' ? null : explainFailure({ status, body: bodyText, api, credential: sent });
  const explanation: FailureExplanation | null =
    base && outcome === 'could-not-check'
      ? {
          title: `Could not check: ${base.title}`,
          detail: `${base.detail} This answer says nothing about the key, so access to ${OS_API_LABELS[api]} is unknown.`,
          action: base.action,
        }
      : base;
  // A very short "secret" would also match ordinary words; real keys and tokens are 28+ characters.
  const clean = (s: string): string => (secret && secret.length >= 8 ? s.split(secret).join('…') : s);
  return {
    api,
    label: OS_API_LABELS[api],
    ok: outcome === 'ok',
    outcome,
    status,
    explanation: explanation && {
      title: clean(explanation.title),
      detail: clean(explanation.detail),
      action: clean(explanation.action),
    },
  };
}

/** A probe that could not be sent because its public discovery document was unusable. */
export function discoveryFailed(api: OsApi, status: number, url: string): AccessCheckResult {
  const what =
    status === 0
      ? 'got no answer'
      : status >= 200 && status < 400
        ? 'listed no current collection'
        : `answered HTTP ${status}`;
  return {
    api,
    label: OS_API_LABELS[api],
    ok: false,
    outcome: 'could-not-check',
    status,
    explanation: {
      title: 'Could not check: no collection to probe',
      detail: `The public list of collections (${url.replace(BASE, '')}) ${what}, so no request was sent with the key. This says nothing about the key.`,
      action: 'Run Check access again later.',
    },
  };
}
