import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainFailure, type FailureInput, parseErrorBody, scrubServiceText } from './explain-failure';

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
    ['429 dev', { ...base, status: 429, plan: 'dev' }, /Rate limited/, /Live/],
    ['429 live', { ...base, status: 429, plan: 'live' }, /Rate limited/, /Slow down/],
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
