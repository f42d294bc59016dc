import { describe, expect, it } from 'vitest';
import { explainWithAccess, type RememberedAccess } from './explain-with-access';

const base = {
  title: 'Not authorised',
  detail: 'OS refused the credential: the key may be wrong, or …',
  action: 'Check the key.',
};
const access: RememberedAccess = {
  keyChangedAt: 100,
  report: {
    projectId: 'p',
    checkedAt: 5,
    results: [
      {
        api: 'places',
        label: 'OS Places API',
        ok: false,
        status: 401,
        explanation: {
          title: 'Key not enabled for OS Places API',
          detail: 'The key is valid, but…',
          action: 'Add OS Places API.',
        },
      },
      { api: 'names', label: 'OS Names API', ok: true, status: 200, explanation: null },
    ],
  },
};

describe('explainWithAccess', () => {
  it('uses the Check access finding for a refused API, for the same key', () => {
    expect(explainWithAccess(base, { status: 401, api: 'places' }, access, 100)).toEqual({
      title: 'Key not enabled for OS Places API',
      detail: 'The key is valid, but… (Check access found this for the same key.)',
      action: 'Add OS Places API.',
    });
  });

  it('keeps the status-based explanation otherwise', () => {
    expect(explainWithAccess(base, { status: 401, api: 'places' }, access, 101)).toBe(base); // the key changed since
    expect(explainWithAccess(base, { status: 401, api: 'names' }, access, 100)).toBe(base); // that API was fine
    expect(explainWithAccess(base, { status: 429, api: 'places' }, access, 100)).toBe(base);
    expect(explainWithAccess(base, { status: 401, api: 'places' }, undefined, 100)).toBe(base);
    expect(explainWithAccess(null, { status: 200, api: 'places' }, access, 100)).toBeNull();
  });
});
