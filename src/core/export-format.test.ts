import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportFileName,
  exportProjects,
  isoTimestamp,
  SECRETS_NOTICE,
} from './export-format';
import { project, stateWith } from './fixtures.test-helpers';
import { emptyState } from './project';

const state = stateWith([
  project({
    id: 'id-a',
    name: 'Dev',
    key: 'DEVKEY0123456789',
    ruleSlot: 0,
    revision: 3,
    createdAt: 11,
    updatedAt: 12,
    keyChangedAt: 13,
  }),
  project({
    id: 'id-b',
    name: 'Live OAuth',
    key: 'LIVEKEY98765',
    secret: 'S3cr3t!',
    authMode: 'oauth',
    mode: 'live',
    badgeText: 'LO',
    color: '#00703c',
    ruleSlot: 1,
  }),
]);
const NOW = Date.UTC(2025, 2, 1, 9, 30, 15, 42); // eslint-disable-line no-restricted-globals -- a fixed instant built by the reference implementation

describe('exportProjects', () => {
  it('writes the documented header and every project’s settings, in order', () => {
    const file = JSON.parse(exportProjects(state, { includeSecrets: false, now: NOW, appVersion: '0.1.0' })) as unknown;
    expect(file).toEqual({
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: '2025-03-01T09:30:15.042Z',
      appVersion: '0.1.0',
      includesSecrets: false,
      projects: [
        { name: 'Dev', authMode: 'header', mode: 'dev', badgeText: 'DEV', color: '#1d70b8' },
        { name: 'Live OAuth', authMode: 'oauth', mode: 'live', badgeText: 'LO', color: '#00703c' },
      ],
    });
  });

  it('includes keys, non-empty secrets and a notice only when asked', () => {
    const text = exportProjects(state, { includeSecrets: true, now: NOW, appVersion: '0.1.0' });
    const file = JSON.parse(text) as { includesSecrets: boolean; notice: string; projects: Record<string, unknown>[] };
    expect(file.includesSecrets).toBe(true);
    expect(file.notice).toBe(SECRETS_NOTICE);
    expect(file.projects[0]).toEqual({
      name: 'Dev',
      authMode: 'header',
      mode: 'dev',
      badgeText: 'DEV',
      color: '#1d70b8',
      key: 'DEVKEY0123456789',
    });
    expect(file.projects[1]).toMatchObject({ key: 'LIVEKEY98765', secret: 'S3cr3t!' });
  });

  it.each([false, true])('never writes internal fields (includeSecrets %s)', (includeSecrets) => {
    const text = exportProjects(state, { includeSecrets, now: NOW, appVersion: '1' });
    for (const internal of [
      '"id"',
      'id-a',
      'ruleSlot',
      'revision',
      'createdAt',
      'updatedAt',
      'keyChangedAt',
      'activeProjectId',
      'nextRuleSlot',
    ]) {
      expect(text).not.toContain(internal);
    }
  });

  it('without secrets, contains no key or secret, not even a part of one', () => {
    const text = exportProjects(state, { includeSecrets: false, now: NOW, appVersion: '1' });
    for (const secret of ['DEVKEY', '6789', 'LIVEKEY', 'S3cr3t', '"key"', '"secret"', 'keyHint'])
      expect(text).not.toContain(secret);
  });

  it('is pretty-printed with a final newline, and handles an empty keyring', () => {
    const text = exportProjects(emptyState(), { includeSecrets: false, now: 0, appVersion: '1' });
    expect(text).toMatch(/^\{\n {2}"format": "os-api-keyring",\n/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ exportedAt: '1970-01-01T00:00:00.000Z', projects: [] });
  });
});

describe('isoTimestamp (Date-free ISO 8601)', () => {
  it.each([
    [0, '1970-01-01T00:00:00.000Z'],
    [951_782_400_000, '2000-02-29T00:00:00.000Z'],
    [1_709_251_199_999, '2024-02-29T23:59:59.999Z'],
    [-1, '1969-12-31T23:59:59.999Z'],
    [253_402_300_799_999, '9999-12-31T23:59:59.999Z'],
    [Number.NaN, '1970-01-01T00:00:00.000Z'],
  ])('%d → %s', (ms, iso) => expect(isoTimestamp(ms)).toBe(iso));

  it('agrees with Date#toISOString for every instant in years 0–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString()); // eslint-disable-line no-restricted-globals -- the reference implementation
      }),
      { numRuns: 2000 },
    );
  });

  it('names download files by day and says when secrets are inside', () => {
    expect(exportFileName(NOW, false)).toBe('os-api-keyring-2025-03-01.json');
    expect(exportFileName(NOW, true)).toBe('os-api-keyring-2025-03-01-with-secrets.json');
  });
});
