// Every api.os.uk route the mock serves, plus the test-only /__echo.
import { json } from './reply';
import type { Route } from './routing';
import { DOWNLOADS_ROUTES } from './routes-downloads';
import { FEATURES_ROUTES } from './routes-features';
import { MAPS_ROUTES } from './routes-maps';
import { OSNET_ROUTES } from './routes-osnet';
import { SEARCH_ROUTES } from './routes-search';

/**
 * GET/POST /__echo: lets a page's fetch read what reached api.os.uk. Needs a valid credential
 * (key or Bearer) like any API, but is not tied to an API entitlement and is not rate limited.
 */
const ECHO: Route = {
  api: null,
  methods: ['GET', 'POST'],
  pattern: /^\/__echo$/,
  handle: (ctx) =>
    json(200, {
      method: ctx.method,
      url: ctx.url,
      headers: ctx.headers,
      credential: ctx.credential,
      ...(ctx.body ? { body: ctx.body } : {}),
    }),
};

export const ROUTES: readonly Route[] = [
  ...MAPS_ROUTES,
  ...SEARCH_ROUTES,
  ...FEATURES_ROUTES,
  ...DOWNLOADS_ROUTES,
  ...OSNET_ROUTES,
  ECHO,
];
