// A backup of damaged data as import text: which fields are taken, where blank keys come from,
// and what is refused (the background's "Recover projects" feeds this to the ordinary import).
import { describe, expect, it } from 'vitest';
import { backupImportText } from './backup-recovery';

const parsed = (text: string | null) =>
  JSON.parse(text ?? 'null') as { format: string; version: number; projects: unknown[] };

describe('backupImportText', () => {
  it.each([
    ['no document', undefined],
    ['null', null],
    ['a string', 'not a document'],
    ['no project list', { schemaVersion: 2 }],
    ['projects not a list', { projects: { a: 1 } }],
    ['an empty list', { projects: [] }],
  ])('%s: null (nothing to recover)', (_label, document) => {
    expect(backupImportText(document)).toBeNull();
  });

  it('an export file of the projects: the user-facing fields only, internal ones left out', () => {
    const text = backupImportText({
      schemaVersion: 5,
      projects: [
        {
          id: 'p1',
          name: 'Live',
          key: 'LIVEKEY',
          secret: 'LIVESECRET',
          authMode: 'oauth',
          mode: 'live',
          badgeText: 'LIV',
          color: '#00703c',
          ruleSlot: 3,
          revision: 7,
        },
      ],
    });
    expect(parsed(text)).toEqual({
      format: 'os-api-keyring',
      version: 1,
      projects: [
        {
          name: 'Live',
          authMode: 'oauth',
          mode: 'live',
          badgeText: 'LIV',
          color: '#00703c',
          key: 'LIVEKEY',
          secret: 'LIVESECRET',
        },
      ],
    });
  });

  it("reads an older document's `plan` as the mode, and `mode` first when both are there", () => {
    const projects = parsed(
      backupImportText({
        projects: [
          { name: 'A', plan: 'live' },
          { name: 'B', mode: 'dev', plan: 'live' },
        ],
      }),
    ).projects;
    expect(projects).toEqual([
      { name: 'A', mode: 'live' },
      { name: 'B', mode: 'dev' },
    ]);
  });

  it("fills blank keys and secrets from the document's own sealed secrets, by project id; a stored key wins", () => {
    const secrets = { p1: { key: 'SEALEDKEY1', secret: 'SEALEDSECRET1' }, p2: { key: 'SEALEDKEY2', secret: '' } };
    const projects = parsed(
      backupImportText(
        {
          projects: [
            { id: 'p1', name: 'Blank', key: '', secret: '' },
            { id: 'p2', name: 'Own', key: 'OWNKEY2', secret: 'OWNSECRET2' },
            { id: 'p3', name: 'None', key: '' },
            { id: 'constructor', name: 'Proto', key: '' },
          ],
        },
        secrets,
      ),
    ).projects;
    expect(projects).toEqual([
      { name: 'Blank', key: 'SEALEDKEY1', secret: 'SEALEDSECRET1' },
      { name: 'Own', key: 'OWNKEY2', secret: 'OWNSECRET2' },
      { name: 'None' },
      { name: 'Proto' },
    ]);
  });

  it('only a string id is looked up: a numeric id never takes the sealed secrets stored under its text', () => {
    const projects = parsed(
      backupImportText({ projects: [{ id: 5, name: 'Num', key: '' }] }, { 5: { key: 'K5', secret: 'S5' } }),
    ).projects;
    expect(projects).toEqual([{ name: 'Num' }]);
  });

  it('keeps entries that are not objects as they are, for the import check to refuse with its reason', () => {
    expect(parsed(backupImportText({ projects: ['oops', null, 7] })).projects).toEqual(['oops', null, 7]);
  });

  it('wrongly typed keys are not taken: a number key is left out, a sealed one used instead', () => {
    const projects = parsed(
      backupImportText(
        { projects: [{ id: 'p1', name: 'N', key: 12345, secret: true }] },
        { p1: { key: 'K', secret: 'S' } },
      ),
    ).projects;
    expect(projects).toEqual([{ name: 'N', key: 'K', secret: 'S' }]);
  });
});
