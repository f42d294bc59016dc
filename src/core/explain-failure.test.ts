import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseErrorBody, scrubServiceText } from './error-body';
import { explainFailure, formatIsoDate, type FailureInput } from './explain-failure';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const fault = (faultstring: string, errorcode: string): string =>
  JSON.stringify({ fault: { faultstring, detail: { errorcode } } });
const base: FailureInput = { status: 401, api: 'places', credential: 'header' };

describe('explainFailure', () => {
  it.each<[string, FailureInput, RegExp, RegExp]>([
    [
      'invalid key',
      { ...base, body: fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey') },
      /Invalid API key/,
      /OS Data Hub/,
    ],
    [
      'API not in project',
      { ...base, body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource') },
      /not enabled for OS Places API/,
      /add OS Places API to the project/,
    ],
    [
      'missing key, Off',
      {
        ...base,
        credential: 'none',
        reasonNone: 'off',
        body: fault('Failed to resolve API Key variable', 'steps.oauth.v2.FailedToResolveAPIKey'),
      },
      /No API key was sent/,
      /Choose a project/,
    ],
    ['missing key, locked', { ...base, credential: 'none', reasonNone: 'locked' }, /No API key was sent/, /Unlock/],
    [
      'missing key, site',
      { ...base, credential: 'none', reasonNone: 'site-not-allowed' },
      /No API key was sent/,
      /allowed sites/,
    ],
    [
      'missing key, no token',
      { ...base, credential: 'none', reasonNone: 'no-token' },
      /No API key was sent/,
      /key and secret/,
    ],
    [
      'key attached but not seen',
      { ...base, credential: 'bearer', body: fault('x', 'steps.oauth.v2.FailedToResolveAPIKey') },
      /did not receive the key/,
      /Key header/,
    ],
    [
      'expired token',
      {
        ...base,
        credential: 'bearer',
        body: fault('Access Token expired', 'keymanagement.service.access_token_expired'),
      },
      /token expired/,
      /Reload/,
    ],
    [
      'token endpoint',
      {
        ...base,
        api: 'oauth',
        body: JSON.stringify({ ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' }),
      },
      /Key or secret rejected/,
      /secret/,
    ],
    [
      'premium zoom',
      { ...base, api: 'maps-raster', url: 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/18/1/2.png' },
      /May be Premium/,
      /OpenData zoom/,
    ],
    ['bare 401', { ...base, api: 'ngd-features' }, /Not authorised/, /added to the project/],
    ['403', { ...base, status: 403 }, /Access denied/, /plan/],
    ['429 dev', { ...base, status: 429, mode: 'dev' }, /Rate limited by OS/, /Live/],
    ['429 live', { ...base, status: 429, mode: 'live' }, /Rate limited by OS/, /Slow down/],
    [
      '400 Places message',
      {
        ...base,
        status: 400,
        body: JSON.stringify({
          error: { statuscode: 400, message: 'Requested postcode must contain a minimum of the sector' },
        }),
      },
      /Bad request/,
      /specification/,
    ],
    [
      '404 NGD description',
      {
        ...base,
        status: 404,
        api: 'ngd-features',
        body: JSON.stringify({ code: 404, description: "Collection 'x' is not a supported Collection" }),
      },
      /Not found/,
      /docs\.os\.uk/,
    ],
    [
      '405',
      { ...base, status: 405, api: 'ngd-tiles', body: '{"code":405,"description":"Only GET"}' },
      /Method not allowed/,
      /specification/,
    ],
    [
      '414',
      { ...base, status: 414, api: 'features-wfs', body: fault('Request line too long', 'protocol.http.TooBigLine') },
      /too long/,
      /smaller filter/,
    ],
    [
      '500',
      { ...base, status: 500, body: '{"error":{"statuscode":500,"message":"internal server error."}}' },
      /OS service error/,
      /Retry/,
    ],
    ['503', { ...base, status: 503, body: '<html>' }, /OS service error/, /Retry/],
    ['network', { ...base, status: 0 }, /Network error/, /connection/],
    ['418', { ...base, status: 418 }, /HTTP 418/, /retry/],
  ])('%s', (_name, input, title, action) => {
    const result = explainFailure(input);
    expect(result?.title).toMatch(title);
    expect(result?.action).toMatch(action);
  });

  it('quotes the service message for 400/404 and Downloads 401', () => {
    expect(explainFailure({ ...base, status: 400, body: '{"error":{"message":"Bad postcode"}}' })?.detail).toContain(
      'OS says: "Bad postcode"',
    );
    expect(
      explainFailure({ ...base, status: 404, body: '{"code":404,"description":"No such collection"}' })?.detail,
    ).toContain('No such collection');
    expect(
      explainFailure({ ...base, api: 'downloads', body: '{"message":"Not entitled to package"}' })?.detail,
    ).toContain('Not entitled to package');
  });

  it('mentions both rate limits on 429', () => {
    expect(explainFailure({ ...base, status: 429 })?.detail).toMatch(/50 .*600/);
  });

  it.each([200, 204, 304, 307])('is null for status %d', (status) => {
    expect(explainFailure({ ...base, status })).toBeNull();
  });

  it('never echoes a key from the body', () => {
    const body = JSON.stringify({ error: { message: `Bad request for /find?query=x&key=${KEY} (key ${KEY})` } });
    const r = explainFailure({ ...base, status: 400, body });
    expect(JSON.stringify(r)).not.toContain(KEY);
  });

  it('never throws, and never echoes an alphanumeric key, on arbitrary input (property)', () => {
    const keyArb = fc.stringMatching(/^[A-Za-z]{10}[0-9]{2}[A-Za-z0-9]{8,20}$/);
    const bodyArb = (key: string): fc.Arbitrary<string> =>
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.string().map((s) => JSON.stringify({ error: { message: `${s} ${key} ${s}` } })),
        fc.string().map((s) => JSON.stringify({ description: `${s}key=${key}` })),
        fc.string().map((s) => JSON.stringify({ fault: { faultstring: key + s, detail: { errorcode: s } } })),
      );
    fc.assert(
      fc.property(
        keyArb.chain((key) => fc.tuple(fc.constant(key), bodyArb(key))),
        fc.oneof(fc.integer({ min: -5, max: 700 }), fc.double()),
        fc.constantFrom('maps-raster', 'places', 'oauth', null),
        fc.constantFrom('header', 'query', 'bearer', 'none'),
        ([key, body], status, api, credential) => {
          const r = explainFailure({ status, body, api, credential });
          expect(r === null || typeof r.title === 'string').toBe(true);
          expect(JSON.stringify(r)).not.toContain(key);
        },
      ),
    );
  });
});

describe('parseErrorBody', () => {
  it.each([
    [
      fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey'),
      { errorCode: 'oauth.v2.InvalidApiKey', message: 'Invalid ApiKey' },
    ],
    ['{"message":"m"}', { message: 'm' }],
    [
      '<ows:ExceptionReport><ows:Exception><ows:ExceptionText>Bad layer</ows:ExceptionText></ows:Exception></ows:ExceptionReport>',
      { message: 'Bad layer' },
    ],
    ['[1,2]', {}],
    ['null', {}],
    ['{"error":{"message":42}}', {}],
    ['not json', {}],
    ['x'.repeat(70_000), {}],
  ])('%s', (body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });

  it('scrubs secrets and control characters from service text', () => {
    expect(scrubServiceText(`a\nb key=${KEY} Bearer tok123`)).toBe('a b key=…redacted… Bearer …redacted…');
    expect(scrubServiceText(`id ${KEY}`)).toBe('id …');
    expect(scrubServiceText('asu-gbpcd-postcodeunitarea-1')).toBe('asu-gbpcd-postcodeunitarea-1');
  });
});

/**
 * One realistic body per OS error shape (docs/os-apis.md §0, §3.2), read end to end: what the
 * parser finds, and the plain-language explanation a user sees.
 */
describe('every OS error shape', () => {
  const OGC_NO_KEY =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">' +
    '<ows:Exception exceptionCode="FailedToResolveAPIKey"><ows:ExceptionText>Failed to resolve API Key variable request.queryparam.key</ows:ExceptionText></ows:Exception></ows:ExceptionReport>';

  it.each<[string, string, { errorCode?: string; message?: string }]>([
    [
      'gateway fault JSON with errorcode',
      fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
      { errorCode: 'oauth.v2.InvalidApiKeyForGivenResource', message: 'Invalid ApiKey for given resource' },
    ],
    [
      'OGC ExceptionReport: the exceptionCode attribute and the text',
      OGC_NO_KEY,
      { errorCode: 'FailedToResolveAPIKey', message: 'Failed to resolve API Key variable request.queryparam.key' },
    ],
    [
      'OGC ExceptionReport with single quotes, no prefix and entities',
      "<ExceptionReport><Exception locator='layer' exceptionCode='InvalidParameterValue'><ExceptionText>Layer &apos;Road&lt;3857&gt;&apos; &amp; more &#233;</ExceptionText></Exception></ExceptionReport>",
      { errorCode: 'InvalidParameterValue', message: "Layer 'Road<3857>' & more é" },
    ],
    [
      'NGD RFC 7807-style problem',
      JSON.stringify({
        type: 'https://docs.os.uk/errors/400',
        title: 'Bad Request',
        status: 400,
        detail: 'Not supported query parameter foo. Supported parameters are: bbox, limit',
        code: 400,
        description: 'Not supported query parameter foo. Supported parameters are: bbox, limit',
        help: 'https://docs.os.uk',
      }),
      { message: 'Not supported query parameter foo. Supported parameters are: bbox, limit' },
    ],
    [
      'NGD title only',
      JSON.stringify({ type: 'about:blank', title: 'Not Acceptable', status: 406 }),
      { message: 'Not Acceptable' },
    ],
    [
      'Places {error:{statuscode,message}}',
      JSON.stringify({
        error: {
          statuscode: 400,
          message:
            'Requested postcode must contain a minimum of the sector plus 1 digit of the district e.g. SO1. Requested postcode was S',
        },
      }),
      {
        message:
          'Requested postcode must contain a minimum of the sector plus 1 digit of the district e.g. SO1. Requested postcode was S',
      },
    ],
    [
      'Downloads {message}',
      JSON.stringify({ message: 'Data package 0040154231 was not found' }),
      { message: 'Data package 0040154231 was not found' },
    ],
    [
      'token endpoint 401',
      JSON.stringify({ ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' }),
      { errorCode: 'invalid_client', message: 'Client credentials are invalid' },
    ],
    [
      'token endpoint 400',
      JSON.stringify({ ErrorCode: 'unsupported_grant_type', Error: 'Unsupported grant type : password' }),
      { errorCode: 'unsupported_grant_type', message: 'Unsupported grant type : password' },
    ],
    [
      'token endpoint, OAuth standard fields',
      JSON.stringify({ error: 'invalid_request', error_description: 'Required param : grant_type' }),
      { errorCode: 'invalid_request', message: 'Required param : grant_type' },
    ],
    [
      '414 TooBigLine',
      fault('Request line too long', 'protocol.http.TooBigLine'),
      { errorCode: 'protocol.http.TooBigLine', message: 'Request line too long' },
    ],
    [
      '429 spike arrest',
      fault('Spike arrest violation. Allowed rate : 600pm', 'policies.ratelimit.SpikeArrestViolation'),
      { errorCode: 'policies.ratelimit.SpikeArrestViolation', message: 'Spike arrest violation. Allowed rate : 600pm' },
    ],
  ])('parses %s', (_name, body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });

  it.each<[string, FailureInput, RegExp, RegExp]>([
    [
      'gateway: API not in project',
      {
        status: 401,
        api: 'os-net',
        credential: 'header',
        body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
      },
      /^Key not enabled for OS Net API$/,
      /does not include OS Net API/,
    ],
    [
      'OGC XML: no key reached OS',
      { status: 401, api: 'vector-tiles', credential: 'none', reasonNone: 'off', body: OGC_NO_KEY },
      /^No API key was sent$/,
      /keyring is Off/,
    ],
    [
      'OGC XML: key attached but OS resolved the query parameter',
      { status: 401, api: 'maps-raster', credential: 'header', body: OGC_NO_KEY },
      /^OS did not receive the key$/,
      /answered as if no key was sent/,
    ],
    [
      'NGD 404',
      {
        status: 404,
        api: 'ngd-features',
        credential: 'header',
        body: JSON.stringify({
          title: 'Not Found',
          status: 404,
          detail: "Collection 'bld-fts-building-1' is not a supported Collection.",
          code: 404,
        }),
      },
      /^Not found$/,
      /OS says: "Collection 'bld-fts-building-1' is not a supported Collection\."/,
    ],
    [
      'Places 400',
      {
        status: 400,
        api: 'places',
        credential: 'query',
        body: JSON.stringify({ error: { statuscode: 400, message: 'Requested bbox exceeds 1km2' } }),
      },
      /^Bad request$/,
      /OS says: "Requested bbox exceeds 1km2"/,
    ],
    [
      'Downloads 401',
      { status: 401, api: 'downloads', credential: 'header', body: JSON.stringify({ message: 'Invalid ApiKey' }) },
      /^Not authorised$/,
      /OS says: "Invalid ApiKey"/,
    ],
    [
      'token 400',
      {
        status: 400,
        api: 'oauth',
        credential: 'none',
        reasonNone: 'passthrough',
        body: JSON.stringify({ ErrorCode: 'invalid_request', Error: 'Required param : grant_type' }),
      },
      /^Token request not understood$/,
      /grant_type=client_credentials.*OS says: "Required param : grant_type"/,
    ],
    [
      '414',
      {
        status: 414,
        api: 'features-wfs',
        credential: 'query',
        body: fault('Request line too long', 'protocol.http.TooBigLine'),
      },
      /^Request URL too long$/,
      /URL is too long/,
    ],
    [
      'Match & Cleanse, even with a 401 about the key',
      {
        status: 401,
        api: 'match-cleanse',
        credential: 'header',
        body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
      },
      /^OS Match & Cleanse API was withdrawn$/,
      /withdrew OS Match & Cleanse API on 31 March 2026.*whatever the key/,
    ],
    [
      '429 says what happened, not why',
      {
        status: 429,
        api: 'names',
        credential: 'header',
        mode: 'dev',
        body: fault('Rate limit quota violation', 'policies.ratelimit.QuotaViolation'),
      },
      /^Rate limited by OS$/,
      /^OS rate-limited this project's requests to OS Names API \(HTTP 429\)\./,
    ],
  ])('explains %s', (_name, input, title, detail) => {
    const r = explainFailure(input);
    expect(r?.title).toMatch(title);
    expect(r?.detail).toMatch(detail);
  });

  it('a withdrawn API is never blamed on the key, whatever the status', () => {
    for (const status of [400, 401, 403, 404, 410, 500]) {
      const r = explainFailure({ status, api: 'match-cleanse', credential: 'header' });
      expect(r?.title).toBe('OS Match & Cleanse API was withdrawn');
      expect(JSON.stringify(r)).not.toMatch(/Invalid API key|Not authorised|Key not enabled/);
    }
  });

  it('the 429 explanation never claims the project went over a number', () => {
    const r = explainFailure({ status: 429, api: 'places', credential: 'header', mode: 'live' });
    expect(r?.detail).not.toMatch(/more than/i);
  });
});

/**
 * What the user reads for each cause, word for word: the title, the detail and the action are
 * the product here (a blank or swapped sentence would send the user the wrong way).
 */
describe('explainFailure: the full explanation for each cause', () => {
  const base401: FailureInput = { status: 401, api: 'places', credential: 'header' };
  const noKey = (reasonNone?: FailureInput['reasonNone']): FailureInput => ({
    ...base401,
    credential: 'none',
    ...(reasonNone ? { reasonNone } : {}),
  });
  const places = (why: string, action: string) => ({
    title: 'No API key was sent',
    detail: `OS Places API needs a key, and none was attached because ${why}.`,
    action,
  });
  const ZOOM_18 = 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/18/1/2.png';

  it.each<[string, FailureInput, { title: string; detail: string; action: string }]>([
    [
      'no key, no reason known',
      noKey(),
      {
        title: 'No API key was sent',
        detail: 'OS Places API needs a key, and none was attached.',
        action: "Choose a project in the extension popup, and check the page's site is allowed.",
      },
    ],
    ['no key: off', noKey('off'), places('the keyring is Off', 'Choose a project in the extension popup.')],
    [
      'no key: site-not-allowed',
      noKey('site-not-allowed'),
      places(
        "the page's site is not one the keyring may add credentials for",
        "Add the page's site to the allowed sites in the extension popup.",
      ),
    ],
    [
      'no key: locked',
      noKey('locked'),
      places('the keyring is locked', 'Unlock the keyring with your passphrase in the extension popup.'),
    ],
    [
      'no key: no-token',
      noKey('no-token'),
      places(
        'no OAuth 2 token was available (the token request failed or had not finished)',
        "Check the project's key and secret, then reload the page.",
      ),
    ],
    [
      'no key: no-key',
      noKey('no-key'),
      places(
        'the project has no key saved (it was cleared with "Forgot passphrase")',
        "Paste the project's key from the OS Data Hub into the project.",
      ),
    ],
    [
      'no key: passthrough',
      noKey('passthrough'),
      places(
        'requests to the OAuth 2 token endpoint are left exactly as the page sent them',
        "Send the project key and secret as Basic credentials in the page's own token request.",
      ),
    ],
    [
      'no key: extension',
      noKey('extension'),
      places(
        'it was sent by the extension itself, which adds its credentials directly',
        'Open the extension popup for the reason shown there.',
      ),
    ],
    [
      'no key: page-credential',
      noKey('page-credential'),
      places(
        "the page sent a key or token of its own, which is not one of the keyring's projects",
        "Remove the key from the page's code and let the keyring add it, or add that key as a project.",
      ),
    ],
    [
      'no key: worker-while-pinned',
      noKey('worker-while-pinned'),
      places(
        'it came from a service worker or shared worker (no tab) while a tab is pinned to a project, and such requests get no credential then',
        'Unpin the tab (Use a different project in this tab → the active project) to give workers the active project again.',
      ),
    ],
    [
      'no key: not-sent',
      noKey('not-sent'),
      places(
        'the request never reached OS (the browser answered it from its cache, or it failed before being sent)',
        'Reload the page with the cache disabled to see what OS answers.',
      ),
    ],
    [
      'API not in project (code only)',
      { ...base401, body: fault('Forbidden', 'oauth.v2.InvalidApiKeyForGivenResource') },
      {
        title: 'Key not enabled for OS Places API',
        detail: 'The key is valid, but its OS Data Hub project does not include OS Places API.',
        action: 'On the OS Data Hub, add OS Places API to the project (or use a project that has it).',
      },
    ],
    [
      'API not in project (message only)',
      { ...base401, body: JSON.stringify({ message: 'Invalid ApiKey for given resource' }) },
      {
        title: 'Key not enabled for OS Places API',
        detail: 'The key is valid, but its OS Data Hub project does not include OS Places API.',
        action: 'On the OS Data Hub, add OS Places API to the project (or use a project that has it).',
      },
    ],
    [
      'API not in project, premium zoom',
      {
        ...base401,
        api: 'maps-raster',
        url: ZOOM_18,
        body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
      },
      {
        title: 'Key not enabled for OS Maps API',
        detail:
          'The key is valid, but its project cannot use this request. This may be Premium data, which an OpenData-only project cannot use.',
        action:
          'On the OS Data Hub, add OS Maps API to the project (or use a project that has it), or stay at OpenData zoom levels.',
      },
    ],
    [
      'withdrawn',
      { ...base401, api: 'match-cleanse', status: 404 },
      {
        title: 'OS Match & Cleanse API was withdrawn',
        detail:
          'OS withdrew OS Match & Cleanse API on 31 March 2026 and removed it from every project, so requests to it fail whatever the key (HTTP 404).',
        action: 'Move to a current OS API; OS Places API covers address look-ups.',
      },
    ],
    [
      'invalid key',
      { ...base401, body: fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey') },
      {
        title: 'Invalid API key',
        detail:
          'OS does not recognise this key: it may be mistyped, cut short, or regenerated or deleted on the OS Data Hub.',
        action: "Copy the project's key again from the OS Data Hub and paste it into the project.",
      },
    ],
    [
      'expired token',
      {
        ...base401,
        credential: 'bearer',
        body: fault('Access Token expired', 'keymanagement.service.access_token_expired'),
      },
      {
        title: 'OAuth token expired',
        detail: 'The bearer token (they last about 5 minutes) had expired when OS received the request.',
        action:
          "Reload the page; the extension renews tokens before they expire. If it repeats, check the computer's clock.",
      },
    ],
    [
      'token not accepted',
      { ...base401, credential: 'bearer', body: fault('Invalid access token', 'oauth.v2.InvalidAccessToken') },
      {
        title: 'OAuth token not accepted',
        detail: 'OS did not accept the bearer token.',
        action: "Reload the page to get a new token; if it repeats, check the project's key and secret.",
      },
    ],
    [
      'token endpoint 401 with no body',
      { ...base401, api: 'oauth' },
      {
        title: 'Key or secret rejected',
        detail: 'The OAuth 2 token endpoint rejected the project key and secret.',
        action: 'Copy the key and secret again from the OS Data Hub project and save them in the project.',
      },
    ],
    [
      'token endpoint 400 with no code',
      { ...base401, api: 'oauth', status: 400 },
      {
        title: 'Token request not understood',
        detail:
          'The OAuth 2 token endpoint could not use the request: it needs a POST with Basic credentials and the body grant_type=client_credentials.',
        action:
          'Send the project key and secret as Basic credentials, with Content-Type application/x-www-form-urlencoded and grant_type=client_credentials.',
      },
    ],
    [
      'token endpoint 400 with a code',
      {
        ...base401,
        api: 'oauth',
        status: 400,
        body: JSON.stringify({ ErrorCode: 'unsupported_grant_type', Error: 'Unsupported grant type : password' }),
      },
      {
        title: 'Token request not understood',
        detail:
          'The OAuth 2 token endpoint could not use the request (unsupported_grant_type): it needs a POST with Basic credentials and the body grant_type=client_credentials. OS says: "Unsupported grant type : password"',
        action:
          'Send the project key and secret as Basic credentials, with Content-Type application/x-www-form-urlencoded and grant_type=client_credentials.',
      },
    ],
    [
      'token endpoint 500',
      { ...base401, api: 'oauth', status: 500 },
      {
        title: 'OS service error',
        detail: 'The OAuth 2 token endpoint had a problem on its side (HTTP 500); this is not caused by the key.',
        action: 'Retry in a little while; if it persists, check the OS service status.',
      },
    ],
    [
      '414 with no body',
      { ...base401, status: 414 },
      {
        title: 'Request URL too long',
        detail: 'OS Places API refused the request because its URL is too long (often a large filter).',
        action: 'Shorten the request: use a smaller filter or bounding box, or POST where the API allows it.',
      },
    ],
    [
      '401, not premium',
      { ...base401, api: 'maps-raster', url: 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/1/2.png' },
      {
        title: 'Not authorised',
        detail:
          'OS refused the credential: the key may be wrong, or its project may not include OS Maps API. It may also be Premium data, which an OpenData-only project cannot use.',
        action: 'Check the key, and that OS Maps API is added to the project on the OS Data Hub.',
      },
    ],
    [
      '401, premium zoom',
      { ...base401, api: 'maps-raster', url: ZOOM_18 },
      {
        title: 'May be Premium data',
        detail:
          'OS refused this request. It may be Premium data (for example OS Maps zoom 17 and above), which an OpenData-only project cannot use.',
        action: 'Stay at OpenData zoom levels, or use a project with Premium access on the OS Data Hub.',
      },
    ],
    [
      '403',
      { ...base401, status: 403 },
      {
        title: 'Access denied',
        detail:
          "OS accepted the request's identity but it lacks the rights for this data (for example Premium data or a data package not ordered).",
        action: "Check on the OS Data Hub that the project's plan and OS Places API cover this data.",
      },
    ],
    [
      '429 dev',
      { ...base401, status: 429, mode: 'dev' },
      {
        title: 'Rate limited by OS',
        detail:
          "OS rate-limited this project's requests to OS Places API (HTTP 429). OS allows 50 transactions a minute per API to a project in Development mode and 600 in Live mode.",
        action:
          'Slow down (cache tiles, debounce searches), or switch the project to Live mode on the OS Data Hub for 600 a minute.',
      },
    ],
    [
      '429 live',
      { ...base401, status: 429, mode: 'live' },
      {
        title: 'Rate limited by OS',
        detail:
          "OS rate-limited this project's requests to OS Places API (HTTP 429). OS allows 50 transactions a minute per API to a project in Development mode and 600 in Live mode.",
        action: 'Slow down (cache tiles, debounce searches); requests succeed again once the rate drops.',
      },
    ],
    [
      '400',
      { ...base401, status: 400 },
      {
        title: 'Bad request',
        detail: "OS Places API could not use the request's parameters.",
        action: 'Check the request against the OS Places API technical specification on docs.os.uk.',
      },
    ],
    [
      '404',
      { ...base401, status: 404 },
      {
        title: 'Not found',
        detail: 'OS Places API has nothing at this path.',
        action: 'Check the request against the OS Places API technical specification on docs.os.uk.',
      },
    ],
    [
      '405',
      { ...base401, status: 405 },
      {
        title: 'Method not allowed',
        detail: 'OS Places API does not accept this HTTP method here.',
        action: 'Check the request against the OS Places API technical specification on docs.os.uk.',
      },
    ],
    [
      '406',
      { ...base401, status: 406 },
      {
        title: 'Not acceptable',
        detail: 'OS Places API cannot answer in the format the request asked for.',
        action: 'Check the request against the OS Places API technical specification on docs.os.uk.',
      },
    ],
    [
      '500',
      { ...base401, status: 500 },
      {
        title: 'OS service error',
        detail: 'OS Places API had a problem on its side (HTTP 500); this is not caused by the key.',
        action: 'Retry in a little while; if it persists, check the OS service status.',
      },
    ],
    [
      '599',
      { ...base401, status: 599 },
      {
        title: 'OS service error',
        detail: 'OS Places API had a problem on its side (HTTP 599); this is not caused by the key.',
        action: 'Retry in a little while; if it persists, check the OS service status.',
      },
    ],
    [
      '600',
      { ...base401, status: 600 },
      {
        title: 'Request failed (HTTP 600)',
        detail: 'OS Places API did not return a successful response.',
        action: 'Check the request and retry.',
      },
    ],
    [
      'a status that is not a number',
      { ...base401, status: Number.NaN },
      {
        title: 'Request failed',
        detail: 'OS Places API did not return a successful response.',
        action: 'Check the request and retry.',
      },
    ],
    [
      'an infinite status',
      { ...base401, status: Number.POSITIVE_INFINITY },
      {
        title: 'Request failed',
        detail: 'OS Places API did not return a successful response.',
        action: 'Check the request and retry.',
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(explainFailure(input)).toEqual(expected);
  });

  it('names the API in a network error, and says "The OS API" / "the OS API" when none is known', () => {
    expect(explainFailure({ status: 0, api: 'places', credential: 'header' })?.detail).toBe(
      'The request to OS Places API got no answer: offline, blocked (by CORS, another extension or a firewall), or cancelled.',
    );
    expect(explainFailure({ ...base401, api: null, status: 400 })?.detail).toBe(
      "The OS API could not use the request's parameters.",
    );
    // …and "the OS API" mid-sentence (never "to The OS API"), "the OAuth 2 token endpoint" likewise.
    expect(explainFailure({ status: 0, api: null, credential: 'none' })?.detail).toBe(
      'The request to the OS API got no answer: offline, blocked (by CORS, another extension or a firewall), or cancelled.',
    );
    expect(explainFailure({ status: 0, api: 'oauth', credential: 'none' })?.detail).toMatch(
      /^The request to the OAuth 2 token endpoint got no answer/,
    );
    expect(explainFailure({ ...base401, api: null, status: 404 })?.action).toBe(
      "Check the request against the OS API's technical specification on docs.os.uk.",
    );
    expect(explainFailure({ ...base401, api: null, credential: 'header' })?.action).toBe(
      'Check the key, and that the OS API is added to the project on the OS Data Hub.',
    );
    expect(explainFailure({ ...base401, api: null, credential: 'none' })?.detail).toBe(
      'The OS API needs a key, and none was attached.',
    );
    // Every branch, unknown API and token endpoint: no doubled article, no capital mid-sentence.
    const bodies = [
      undefined,
      fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
      fault('x', 'steps.oauth.v2.FailedToResolveAPIKey'),
      JSON.stringify({ error: { code: 'TooBigLine', message: 'long' } }),
    ];
    const inputs = ([null, 'oauth'] as const).flatMap((api) =>
      [0, 400, 401, 403, 404, 405, 406, 414, 429, 500, 600].flatMap((status) =>
        (['header', 'none'] as const).flatMap((credential) =>
          bodies.map((body): FailureInput => ({ status, api, credential, body })),
        ),
      ),
    );
    for (const e of inputs.map(explainFailure)) {
      for (const text of [e?.title, e?.detail, e?.action])
        expect(text).not.toMatch(/\b[Tt]he [Tt]he\b|(?<!^|\. )The OS API|(?<![Tt]he )OAuth 2 token endpoint/);
    }
  });

  it('treats status 100 as no failure, like the rest of 1xx–3xx', () => {
    expect(explainFailure({ ...base401, status: 100 })).toBeNull();
  });

  it('formats the withdrawal date in words, month by month, and leaves anything else as it is', () => {
    const months = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ];
    months.forEach((month, i) =>
      expect(formatIsoDate(`2026-${String(i + 1).padStart(2, '0')}-05`)).toBe(`5 ${month} 2026`),
    );
    for (const text of ['2026-13-05', 'x2026-03-31', '2026-03-31x']) expect(formatIsoDate(text)).toBe(text);
  });
});
