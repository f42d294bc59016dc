import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseErrorBody, scrubServiceText } from './error-body';
import { explainFailure, type FailureInput } from './explain-failure';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const fault = (faultstring: string, errorcode: string): string =>
  JSON.stringify({ fault: { faultstring, detail: { errorcode } } });
const base: FailureInput = { status: 401, api: 'places', credential: 'header' };

describe('explainFailure', () => {
  it.each<[string, FailureInput, RegExp, RegExp]>([
    ['invalid key', { ...base, body: fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey') }, /Invalid API key/, /OS Data Hub/],
    [
      'API not in project',
      { ...base, body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource') },
      /not enabled for OS Places API/,
      /add OS Places API to the project/,
    ],
    [
      'missing key, Off',
      { ...base, credential: 'none', reasonNone: 'off', body: fault('Failed to resolve API Key variable', 'steps.oauth.v2.FailedToResolveAPIKey') },
      /No API key was sent/,
      /Choose a project/,
    ],
    ['missing key, locked', { ...base, credential: 'none', reasonNone: 'locked' }, /No API key was sent/, /Unlock/],
    ['missing key, site', { ...base, credential: 'none', reasonNone: 'site-not-allowed' }, /No API key was sent/, /allowed sites/],
    ['missing key, no token', { ...base, credential: 'none', reasonNone: 'no-token' }, /No API key was sent/, /key and secret/],
    [
      'key attached but not seen',
      { ...base, credential: 'bearer', body: fault('x', 'steps.oauth.v2.FailedToResolveAPIKey') },
      /did not receive the key/,
      /Key header/,
    ],
    [
      'expired token',
      { ...base, credential: 'bearer', body: fault('Access Token expired', 'keymanagement.service.access_token_expired') },
      /token expired/,
      /Reload/,
    ],
    [
      'token endpoint',
      { ...base, api: 'oauth', body: JSON.stringify({ ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' }) },
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
      { ...base, status: 400, body: JSON.stringify({ error: { statuscode: 400, message: 'Requested postcode must contain a minimum of the sector' } }) },
      /Bad request/,
      /specification/,
    ],
    [
      '404 NGD description',
      { ...base, status: 404, api: 'ngd-features', body: JSON.stringify({ code: 404, description: "Collection 'x' is not a supported Collection" }) },
      /Not found/,
      /docs\.os\.uk/,
    ],
    ['405', { ...base, status: 405, api: 'ngd-tiles', body: '{"code":405,"description":"Only GET"}' }, /Method not allowed/, /specification/],
    ['414', { ...base, status: 414, api: 'features-wfs', body: fault('Request line too long', 'protocol.http.TooBigLine') }, /too long/, /smaller filter/],
    ['500', { ...base, status: 500, body: '{"error":{"statuscode":500,"message":"internal server error."}}' }, /OS service error/, /Retry/],
    ['503', { ...base, status: 503, body: '<html>' }, /OS service error/, /Retry/],
    ['network', { ...base, status: 0 }, /Network error/, /connection/],
    ['418', { ...base, status: 418 }, /HTTP 418/, /retry/],
  ])('%s', (_name, input, title, action) => {
    const result = explainFailure(input);
    expect(result?.title).toMatch(title);
    expect(result?.action).toMatch(action);
  });

  it('quotes the service message for 400/404 and Downloads 401', () => {
    expect(explainFailure({ ...base, status: 400, body: '{"error":{"message":"Bad postcode"}}' })?.detail).toContain('OS says: "Bad postcode"');
    expect(explainFailure({ ...base, status: 404, body: '{"code":404,"description":"No such collection"}' })?.detail).toContain('No such collection');
    expect(explainFailure({ ...base, api: 'downloads', body: '{"message":"Not entitled to package"}' })?.detail).toContain('Not entitled to package');
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
    [fault('Invalid ApiKey', 'oauth.v2.InvalidApiKey'), { errorCode: 'oauth.v2.InvalidApiKey', message: 'Invalid ApiKey' }],
    ['{"message":"m"}', { message: 'm' }],
    ['<ows:ExceptionReport><ows:Exception><ows:ExceptionText>Bad layer</ows:ExceptionText></ows:Exception></ows:ExceptionReport>', { message: 'Bad layer' }],
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
    ['OGC ExceptionReport: the exceptionCode attribute and the text', OGC_NO_KEY, { errorCode: 'FailedToResolveAPIKey', message: 'Failed to resolve API Key variable request.queryparam.key' }],
    [
      'OGC ExceptionReport with single quotes, no prefix and entities',
      "<ExceptionReport><Exception locator='layer' exceptionCode='InvalidParameterValue'><ExceptionText>Layer &apos;Road&lt;3857&gt;&apos; &amp; more &#233;</ExceptionText></Exception></ExceptionReport>",
      { errorCode: 'InvalidParameterValue', message: "Layer 'Road<3857>' & more é" },
    ],
    [
      'NGD RFC 7807-style problem',
      JSON.stringify({ type: 'https://docs.os.uk/errors/400', title: 'Bad Request', status: 400, detail: 'Not supported query parameter foo. Supported parameters are: bbox, limit', code: 400, description: 'Not supported query parameter foo. Supported parameters are: bbox, limit', help: 'https://docs.os.uk' }),
      { message: 'Not supported query parameter foo. Supported parameters are: bbox, limit' },
    ],
    ['NGD title only', JSON.stringify({ type: 'about:blank', title: 'Not Acceptable', status: 406 }), { message: 'Not Acceptable' }],
    ['Places {error:{statuscode,message}}', JSON.stringify({ error: { statuscode: 400, message: 'Requested postcode must contain a minimum of the sector plus 1 digit of the district e.g. SO1. Requested postcode was S' } }), { message: 'Requested postcode must contain a minimum of the sector plus 1 digit of the district e.g. SO1. Requested postcode was S' }],
    ['Downloads {message}', JSON.stringify({ message: 'Data package 0040154231 was not found' }), { message: 'Data package 0040154231 was not found' }],
    ['token endpoint 401', JSON.stringify({ ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' }), { errorCode: 'invalid_client', message: 'Client credentials are invalid' }],
    ['token endpoint 400', JSON.stringify({ ErrorCode: 'unsupported_grant_type', Error: 'Unsupported grant type : password' }), { errorCode: 'unsupported_grant_type', message: 'Unsupported grant type : password' }],
    ['token endpoint, OAuth standard fields', JSON.stringify({ error: 'invalid_request', error_description: 'Required param : grant_type' }), { errorCode: 'invalid_request', message: 'Required param : grant_type' }],
    ['414 TooBigLine', fault('Request line too long', 'protocol.http.TooBigLine'), { errorCode: 'protocol.http.TooBigLine', message: 'Request line too long' }],
    ['429 spike arrest', fault('Spike arrest violation. Allowed rate : 600pm', 'policies.ratelimit.SpikeArrestViolation'), { errorCode: 'policies.ratelimit.SpikeArrestViolation', message: 'Spike arrest violation. Allowed rate : 600pm' }],
  ])('parses %s', (_name, body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });

  it.each<[string, FailureInput, RegExp, RegExp]>([
    ['gateway: API not in project', { status: 401, api: 'os-net', credential: 'header', body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource') }, /^Key not enabled for OS Net API$/, /does not include OS Net API/],
    ['OGC XML: no key reached OS', { status: 401, api: 'vector-tiles', credential: 'none', reasonNone: 'off', body: OGC_NO_KEY }, /^No API key was sent$/, /keyring is Off/],
    ['OGC XML: key attached but OS resolved the query parameter', { status: 401, api: 'maps-raster', credential: 'header', body: OGC_NO_KEY }, /^OS did not receive the key$/, /answered as if no key was sent/],
    ['NGD 404', { status: 404, api: 'ngd-features', credential: 'header', body: JSON.stringify({ title: 'Not Found', status: 404, detail: "Collection 'bld-fts-building-1' is not a supported Collection.", code: 404 }) }, /^Not found$/, /OS says: "Collection 'bld-fts-building-1' is not a supported Collection\."/],
    ['Places 400', { status: 400, api: 'places', credential: 'query', body: JSON.stringify({ error: { statuscode: 400, message: 'Requested bbox exceeds 1km2' } }) }, /^Bad request$/, /OS says: "Requested bbox exceeds 1km2"/],
    ['Downloads 401', { status: 401, api: 'downloads', credential: 'header', body: JSON.stringify({ message: 'Invalid ApiKey' }) }, /^Not authorised$/, /OS says: "Invalid ApiKey"/],
    ['token 400', { status: 400, api: 'oauth', credential: 'none', reasonNone: 'passthrough', body: JSON.stringify({ ErrorCode: 'invalid_request', Error: 'Required param : grant_type' }) }, /^Token request not understood$/, /grant_type=client_credentials.*OS says: "Required param : grant_type"/],
    ['414', { status: 414, api: 'features-wfs', credential: 'query', body: fault('Request line too long', 'protocol.http.TooBigLine') }, /^Request URL too long$/, /URL is too long/],
    ['Match & Cleanse, even with a 401 about the key', { status: 401, api: 'match-cleanse', credential: 'header', body: fault('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource') }, /^OS Match & Cleanse API was withdrawn$/, /withdrew OS Match & Cleanse API on 31 March 2026.*whatever the key/],
    ['429 says what happened, not why', { status: 429, api: 'names', credential: 'header', mode: 'dev', body: fault('Rate limit quota violation', 'policies.ratelimit.QuotaViolation') }, /^Rate limited by OS$/, /^OS rate-limited this project's requests to OS Names API \(HTTP 429\)\./],
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
