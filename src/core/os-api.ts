/** Facts about the OS API host that the rules and the UI share. */

/** The only host that ever receives a credential. */
export const OS_API_HOST = 'api.os.uk';

/** Anchored at the start and ending in "/", so `https://api.os.uk.evil.test/` and plain http never match. */
export const OS_API_URL_FILTER = `|https://${OS_API_HOST}/`;

/**
 * Pages whose own requests (fetch, XHR, tile images, frames…) get credentials: local development
 * servers on any port. Matches the `host_permissions` in manifest.json, which Chromium also
 * requires for the *initiator* before it modifies a sub-resource request.
 */
export const LOCAL_PAGE_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The OAuth 2 client-credentials token endpoint (os-apis.md §2.3). */
export const OS_TOKEN_URL = `https://${OS_API_HOST}/oauth2/token/v1`;
