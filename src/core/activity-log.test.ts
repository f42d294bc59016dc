import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_CSV_COLUMNS, type ActivityEntry, activityToCsv, appendActivity, csvField } from './activity-log';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const entry = (over: Partial<ActivityEntry> = {}): ActivityEntry => ({
  time: 1_714_566_896_789,
  method: 'GET',
  api: 'places',
  label: 'OS Places API',
  path: `/search/places/v1/find?query=x&key=${KEY}`,
  status: 200,
  durationMs: 42,
  projectId: 'p1',
  mode: 'query',
  tabId: 7,
  initiator: 'http://localhost:5173',
  ...over,
});

/** RFC 4180 parser for the test: rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(quoted).toBe(false);
  expect(row).toEqual([]);
  return rows;
}

describe('appendActivity', () => {
  it('keeps the newest `max` entries, oldest first, without touching the input', () => {
    let ring: ActivityEntry[] = [];
    for (let i = 0; i < 5; i++) ring = appendActivity(ring, entry({ status: i }), 3);
    expect(ring.map((e) => e.status)).toEqual([2, 3, 4]);
    const before = [...ring];
    appendActivity(ring, entry(), 3);
    expect(ring).toEqual(before);
  });

  it.each([
    [0, 1],
    [Number.NaN, 1],
    [2.7, 2],
  ])('max %d keeps %d', (max, expected) => {
    const ring = [entry(), entry(), entry()].reduce<ActivityEntry[]>((r, e) => appendActivity(r, e, max), []);
    expect(ring).toHaveLength(expected);
  });

  it('defaults to 3000 and redacts path and initiator', () => {
    let ring: ActivityEntry[] = [];
    for (let i = 0; i < 3005; i++) ring = appendActivity(ring, entry({ initiator: `http://localhost/?key=${KEY}` }));
    expect(ring).toHaveLength(3000);
    expect(JSON.stringify(ring)).not.toContain(KEY);
  });
});

describe('activityToCsv', () => {
  it('writes a header and one row per entry', () => {
    const csv = activityToCsv([
      entry(),
      entry({ projectId: null, mode: null, reasonNone: 'off', status: 401, label: 'a, "b"' }),
    ]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...ACTIVITY_CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      '2024-05-01T12:34:56.789Z',
      'GET',
      'places',
      'OS Places API',
      '/search/places/v1/find?query=x&key=…redacted…',
      '200',
      '42',
      'p1',
      'query',
      '',
      '7',
      'http://localhost:5173',
    ]);
    expect(rows[2]?.[3]).toBe('a, "b"');
    expect(rows[2]?.[7]).toBe('');
    expect(rows[2]?.[9]).toBe('off');
    expect(csv).not.toContain(KEY);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-1+1', "'-1+1"],
    [-1, '-1'],
    [Number.NaN, ''],
    [null, ''],
  ])('csvField(%j) → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('every row has the same number of fields and no key appears (property)', () => {
    const keyArb = fc.stringMatching(/^[A-Za-z0-9]{20,32}$/);
    const entryArb = (key: string): fc.Arbitrary<ActivityEntry> =>
      fc.record({
        time: fc.oneof(fc.integer(), fc.double()),
        method: fc.string(),
        api: fc.constantFrom('places', 'oauth', null, 'maps-raster'),
        label: fc.string(),
        path: fc.string().map((s) => `/${s.replace(/[#?]/g, '')}?${encodeURIComponent(s)}&key=${key}`),
        status: fc.integer({ min: 0, max: 599 }),
        durationMs: fc.double(),
        projectId: fc.option(fc.string()),
        mode: fc.constantFrom('header', 'query', 'oauth', null),
        reasonNone: fc.constantFrom('off', 'site-not-allowed', 'locked', 'no-token', undefined),
        tabId: fc.integer(),
        initiator: fc.oneof(fc.string(), fc.constant(`https://example.com/?key=${key}`)),
      });
    fc.assert(
      fc.property(
        keyArb.chain((key) => fc.tuple(fc.constant(key), fc.array(entryArb(key), { maxLength: 8 }))),
        ([key, entries]) => {
          fc.pre(entries.every((e) => !`${e.method}${e.label}${e.projectId ?? ''}`.includes(key)));
          const csv = activityToCsv(entries.reduce<ActivityEntry[]>((r, e) => appendActivity(r, e, 5), []));
          const rows = parseCsv(csv);
          expect(rows).toHaveLength(Math.min(entries.length, 5) + 1);
          for (const row of rows) expect(row).toHaveLength(ACTIVITY_CSV_COLUMNS.length);
          expect(csv).not.toContain(key);
        },
      ),
    );
  });
});
