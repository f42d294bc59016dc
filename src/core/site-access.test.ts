import { describe, expect, it } from 'vitest';
import { allowedSiteHosts, normaliseSite, pageSite } from './site-access';

describe('pageSite', () => {
  it.each([
    ['http://localhost:5173/map.html', { kind: 'local', site: 'http://localhost', host: 'localhost' }],
    ['http://127.0.0.1:8080/', { kind: 'local', site: 'http://127.0.0.1', host: '127.0.0.1' }],
    ['http://[::1]:3000/', { kind: 'local', site: 'http://[::1]', host: '[::1]' }],
    [
      'https://localhost/',
      { kind: 'site', site: 'https://localhost', host: 'localhost', pattern: 'https://localhost/*' },
    ],
    [
      'https://codepen.io/pen/abc?x=1',
      { kind: 'site', site: 'https://codepen.io', host: 'codepen.io', pattern: 'https://codepen.io/*' },
    ],
    [
      'http://staging.example.org:8443/app',
      {
        kind: 'site',
        site: 'http://staging.example.org',
        host: 'staging.example.org',
        pattern: 'http://staging.example.org/*',
      },
    ],
    ['https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png', { kind: 'os-api', host: 'api.os.uk' }],
    ['chrome-extension://abc/src/popup/index.html', { kind: 'unsupported' }],
    ['file:///home/me/map.html', { kind: 'unsupported' }],
    ['about:blank', { kind: 'unsupported' }],
    ['not a url', { kind: 'unsupported' }],
    [undefined, { kind: 'unsupported' }],
  ])('%s', (url, expected) => {
    expect(pageSite(url)).toEqual(expected);
  });
});

describe('normaliseSite', () => {
  it('accepts only a bare scheme://host of a non-local site', () => {
    expect(normaliseSite('https://codepen.io')).toBe('https://codepen.io');
    expect(normaliseSite('https://codepen.io/')).toBeNull();
    expect(normaliseSite('https://CodePen.io')).toBeNull();
    expect(normaliseSite('http://localhost')).toBeNull();
    expect(normaliseSite('https://api.os.uk')).toBeNull();
    expect(normaliseSite('javascript:alert(1)')).toBeNull();
  });
});

describe('allowedSiteHosts', () => {
  it('keeps only sites whose permission the browser has granted', () => {
    expect(
      allowedSiteHosts(
        ['https://codepen.io', 'https://observablehq.com'],
        ['https://api.os.uk/*', 'https://codepen.io/*'],
      ),
    ).toEqual(['codepen.io']);
  });
});
