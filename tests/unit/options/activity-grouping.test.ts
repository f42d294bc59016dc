// groupRepeats: which failures share one grid line. The e2e monitoring test sees it on a real log;
// here each condition that splits a run is pinned on its own.
import { describe, expect, it } from 'vitest';
import type { ActivityRow } from '../../../src/core/monitoring';
import { credentialText, groupRepeats } from '../../../src/options/activity-format';

let seq = 0;
function row(over: Partial<ActivityRow> = {}): ActivityRow {
  seq += 1;
  return {
    seq,
    time: 1_000 + seq,
    method: 'GET',
    api: 'places',
    label: 'OS Places API',
    path: `/search/places/v1/find?query=a${seq}`,
    status: 401,
    durationMs: 5,
    projectId: 'p1',
    mode: 'header',
    tabId: 7,
    initiator: 'http://127.0.0.1:8080',
    projectName: 'Alpha',
    explanation: { title: 'Not authorised', detail: 'd', action: 'a' },
    ...over,
  };
}

const shape = (items: ReturnType<typeof groupRepeats>) =>
  items.map((i) => (i.kind === 'group' ? `group×${i.rows.length}` : 'row'));

describe('groupRepeats', () => {
  it('puts a run of the same failure from one tab on one line, and lists it when expanded', () => {
    const rows = [row(), row(), row()];
    const items = groupRepeats(rows, new Set());
    expect(shape(items)).toEqual(['group×3']);
    const key = items[0]!.kind === 'group' ? items[0]!.key : '';
    expect(shape(groupRepeats(rows, new Set([key])))).toEqual(['group×3', 'row', 'row', 'row']);
  });

  it('never groups successes', () => {
    expect(
      shape(
        groupRepeats([row({ status: 200, explanation: null }), row({ status: 200, explanation: null })], new Set()),
      ),
    ).toEqual(['row', 'row']);
  });

  it.each([
    ['status', { status: 403 }],
    ['API', { api: 'names', label: 'OS Names API' }],
    ['project', { projectId: 'p2' }],
    ['explanation', { explanation: { title: 'Access denied', detail: 'd', action: 'a' } }],
    ['tab (the extension’s own probe vs a page)', { tabId: -1 }],
    ['initiator', { initiator: 'chrome-extension://abc' }],
  ] as const)('splits a run when the %s differs', (_what, over) => {
    expect(shape(groupRepeats([row(), row(), row(over as Partial<ActivityRow>)], new Set()))).toEqual([
      'group×2',
      'row',
    ]);
  });
});

describe('credentialText', () => {
  it('says when a placeholder key was removed from the URL', () => {
    expect(credentialText(row({ status: 200 }))).toBe('Alpha (Key header)');
    expect(credentialText(row({ status: 200, placeholderKeyRemoved: true }))).toBe(
      'Alpha (Key header); placeholder key removed from the URL',
    );
    expect(credentialText(row({ projectId: null, mode: null, reasonNone: 'site-not-allowed' }))).toMatch(/^None: /);
  });
});
