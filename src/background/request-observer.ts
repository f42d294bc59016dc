/**
 * Observes — never blocks — every request to the OS API host and works out what credential each
 * carried, from the wire (issue 17): `onSendHeaders` reports each request as sent, after the
 * extension's rules (the `key` header or `Authorization`, or the final URL with `key=` after the
 * query-mode redirect; docs/attribution.md has the measurements in Chrome and Firefox). The
 * credential seen is looked up at once among the projects' keys and tokens, in memory, and only the
 * project id and mode are kept. When a request ends, `onFinished` gets what it carried.
 *
 * Cost: listeners are non-blocking, so the network stack never waits for this worker.
 */
import {
  credentialIndex,
  credentialSent,
  whyNoCredential,
  type Attribution,
  type AttributionContext,
  type CredentialIndex,
} from '../core/attribute-request';
import type { ResourceType } from '../core/dnr-rule';
import { redactUrl } from '../core/os-api-classify';
import { OS_API_HOST } from '../core/os-api';
import type { AuthMode } from '../core/project';
import { PAGE_RESOURCE_TYPES } from '../core/rules-from-state';
import type { BrowserApi, WebRequestDetails } from '../lib/browser-api';

const URL_FILTER = { urls: [`https://${OS_API_HOST}/*`] };
/** Credentials no longer in the state (a replaced token, an edited key) are still recognised this long, for requests already in flight. */
const RETIRED_CREDENTIAL_MS = 10 * 60_000;
/** Requests seen sent but never completed (a worker stopped mid-request) are forgotten past this many. */
const MAX_IN_FLIGHT = 2_000;
/** Types attribution knows; anything else a browser reports counts as 'other'. */
const RESOURCE_TYPES: readonly string[] = ['main_frame', 'websocket', ...PAGE_RESOURCE_TYPES];

/** A request that ended (completed or failed), with what is known of it. */
export interface FinishedRequest {
  details: WebRequestDetails;
  /** 0 when it failed without an answer. */
  status: number;
  /** From onBeforeRequest, when durations are recorded. */
  started: { start: number; url: string; tabId: number; initiator: string } | undefined;
  /** What it carried when last sent (undefined: never seen sent). */
  wire: Attribution | undefined;
  /** The extension's own request on behalf of a project (Check access), if it is one. */
  own: { projectId: string; mode: AuthMode } | undefined;
  /** Its placeholder `key` query parameter was removed by the rules. */
  placeholderRemoved: boolean;
}

export interface RequestObserver {
  setContext(ctx: AttributionContext): void;
  context(): AttributionContext | null;
  /** Start or stop observing, with or without a start event per request (durations). */
  listen(on: boolean, durations: boolean): void;
  expectOwnRequest(url: string, projectId: string, mode: AuthMode): void;
  /** Resolves once every event observed so far has been handed on. */
  idle(): Promise<unknown>;
}

export function createRequestObserver(
  browser: Pick<BrowserApi, 'webRequest'>,
  env: { now(): number; setTimer(callback: () => void, ms: number): unknown },
  hooks: { ready(): Promise<unknown>; onFinished(request: FinishedRequest): void },
): RequestObserver {
  let context: AttributionContext | null = null;
  const pending = new Map<string, { start: number; url: string; tabId: number; initiator: string }>();
  const ownRequests = new Map<string, { projectId: string; mode: AuthMode }>();
  /** Per request id: what it carried when last sent (a redirect sends again; the last send is what reached OS). */
  const sent = new Map<string, Attribution>();
  /** Requests whose placeholder `key` query parameter the rules removed (Key header and OAuth 2 modes). */
  const placeholderRemoved = new Set<string>();
  /** The credentials to recognise: the current state's, and retired ones until `retiredAt + RETIRED_CREDENTIAL_MS`. */
  let index: CredentialIndex = credentialIndex(null);
  const retired = {
    keys: new Map<string, { projectId: string; at: number }>(),
    tokens: new Map<string, { projectId: string; at: number }>(),
  };
  // Events waiting for the start-up reconcile (the keys are not known yet), in arrival order.
  let chain: Promise<unknown> = Promise.resolve();
  function inOrder(job: () => Promise<void> | void): void {
    chain = chain.then(job).catch(() => undefined);
  }

  /** The index with retired credentials still recognised (a token replaced while a request was in flight). */
  function lookup(): CredentialIndex {
    if (!retired.keys.size && !retired.tokens.size) return index;
    const merge = (now: ReadonlyMap<string, string>, old: Map<string, { projectId: string }>) => {
      const all = new Map(now);
      for (const [value, { projectId }] of old) if (!all.has(value)) all.set(value, projectId);
      return all;
    };
    return { keys: merge(index.keys, retired.keys), tokens: merge(index.tokens, retired.tokens) };
  }

  /** What a request carried as it was sent; or, when it carried nothing, why (from the state it met). */
  function attributeSent(d: WebRequestDetails): Attribution {
    const found = credentialSent(lookup(), d);
    if (found) return found;
    const initiator = initiatorOf(d);
    if (!context) return { projectId: null, mode: null, reasonNone: 'off' };
    const type = (RESOURCE_TYPES.includes(d.type) ? d.type : 'other') as ResourceType;
    return whyNoCredential(context, { url: d.url, type, tabId: d.tabId, ...(initiator ? { initiator } : {}) });
  }

  function noteSent(d: WebRequestDetails): void {
    if (sent.size >= MAX_IN_FLIGHT) sent.clear();
    sent.set(d.requestId, attributeSent(d));
  }

  function finish(d: WebRequestDetails, status: number): void {
    const started = pending.get(d.requestId);
    pending.delete(d.requestId);
    const wire = sent.get(d.requestId);
    sent.delete(d.requestId);
    const own = !wire && ownRequests.size ? ownRequests.get(redactUrl(stripKey(d.url))) : undefined;
    hooks.onFinished({
      details: d,
      status,
      started,
      wire,
      own,
      placeholderRemoved: placeholderRemoved.delete(d.requestId),
    });
  }

  const onBeforeRequest = (d: WebRequestDetails): void => {
    // A redirect (query mode adds the key by an internal redirect) starts again with the same id: keep the first start.
    if (!pending.has(d.requestId))
      pending.set(d.requestId, { start: d.timeStamp, url: d.url, tabId: d.tabId, initiator: initiatorOf(d) });
  };
  const onBeforeRedirect = (d: WebRequestDetails): void => {
    if (!d.redirectUrl || !hasKeyParam(d.url) || hasKeyParam(d.redirectUrl)) return;
    if (placeholderRemoved.size >= MAX_IN_FLIGHT) placeholderRemoved.clear();
    placeholderRemoved.add(d.requestId);
  };
  const onSendHeaders = (d: WebRequestDetails): void => {
    // At once when the keys are known (the common case): the headers are dropped with `d`.
    if (context) {
      noteSent(d);
      return;
    }
    inOrder(async () => {
      await hooks.ready();
      noteSent(d);
    });
  };
  // After any send waiting for start-up, so a request's end never overtakes its send.
  const onCompleted = (d: WebRequestDetails): void => inOrder(() => finish(d, d.statusCode ?? 0));
  const onErrorOccurred = (d: WebRequestDetails): void => inOrder(() => finish(d, 0));

  return {
    setContext(ctx) {
      context = ctx;
      const next = credentialIndex(ctx.state, ctx.tokens);
      const now = env.now();
      if (ctx.locked || !ctx.state) {
        // Locked (or unreadable): no secret stays in memory here either.
        retired.keys.clear();
        retired.tokens.clear();
      } else {
        for (const [kind, old] of [
          ['keys', index.keys],
          ['tokens', index.tokens],
        ] as const) {
          for (const [value, projectId] of old)
            if (!next[kind].has(value)) retired[kind].set(value, { projectId, at: now });
          for (const [value, r] of retired[kind])
            if (next[kind].has(value) || now - r.at > RETIRED_CREDENTIAL_MS) retired[kind].delete(value);
        }
      }
      index = next;
    },
    context: () => context,
    idle: () => chain,
    listen(on, durations) {
      const w = browser.webRequest;
      if (on) {
        // Only to time requests: a second event per request (see the monitoring-cost benchmark, row 7).
        if (durations) w.onBeforeRequest.addListener(onBeforeRequest, URL_FILTER);
        // What was sent, for attribution. 'requestHeaders' shows the headers after the rules in
        // Chrome and Firefox; 'extraHeaders' is not needed for `key` or `Authorization` (measured).
        w.onSendHeaders.addListener(onSendHeaders, URL_FILTER, ['requestHeaders']);
        // Fires for redirects only (our query-mode and placeholder-removal redirects, the API's own).
        w.onBeforeRedirect.addListener(onBeforeRedirect, URL_FILTER);
        w.onCompleted.addListener(onCompleted, URL_FILTER);
        w.onErrorOccurred.addListener(onErrorOccurred, URL_FILTER);
      } else {
        w.onBeforeRequest.removeListener(onBeforeRequest);
        w.onSendHeaders.removeListener(onSendHeaders);
        w.onBeforeRedirect.removeListener(onBeforeRedirect);
        w.onCompleted.removeListener(onCompleted);
        w.onErrorOccurred.removeListener(onErrorOccurred);
        pending.clear();
        sent.clear();
        placeholderRemoved.clear();
      }
    },
    expectOwnRequest(url, projectId, mode) {
      ownRequests.set(redactUrl(stripKey(url)), { projectId, mode });
      // Forget it once it can no longer be in flight.
      env.setTimer(() => ownRequests.delete(redactUrl(stripKey(url))), 60_000);
    },
  };
}

/** The requesting page's origin: Chrome's `initiator`, or the origin of Firefox's `originUrl`. */
export function initiatorOf(d: WebRequestDetails): string {
  if (d.initiator && d.initiator !== 'null') return d.initiator;
  if (d.originUrl) {
    try {
      return new URL(d.originUrl).origin;
    } catch {
      return '';
    }
  }
  return '';
}

/** Whether a URL's query has a `key` parameter (empty or not), as the removal rule matches it. */
function hasKeyParam(url: string): boolean {
  try {
    return new URL(url).searchParams.has('key');
  } catch {
    return false;
  }
}

/** The URL without its `key` parameter (own requests in query mode carry it). */
function stripKey(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('key');
    return u.toString();
  } catch {
    return url;
  }
}
