// getActivity with afterSeq (the options page's refresh): only newer rows while the rows' project
// names and explanations still hold, the whole log again when they do not, and an empty log after Clear.
import { describe, expect, it } from 'vitest';
import { settle } from '../../fakes/settle';
import { env, fake, freshBackgroundEachTest, send } from '../../fakes/background-prelude';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const tile = (n: number) => `https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/${n}.png`;

async function requests(...ns: number[]): Promise<void> {
  for (const n of ns)
    fake.observeRequest({
      start: env.time,
      initiator: 'http://localhost:5173',
      url: tile(n),
      status: 200,
      type: 'image',
      tabId: 7,
    });
  await settle();
}

freshBackgroundEachTest({ started: true });

describe('getActivity after a seq', () => {
  it('sends only newer rows while the context holds, and says which older ones remain', async () => {
    const { id } = await send('saveProject', { name: 'Alpha', key: KEY, secret: '', authMode: 'header' });
    await send('setActiveProject', { id });
    await requests(1, 2);
    const all = await send('getActivity', {});
    expect(all.rows.map((r) => r.seq)).toEqual([2, 1]);
    expect(all.since).toBeUndefined();
    expect(all.context).not.toContain(KEY);

    await requests(3);
    const newer = await send('getActivity', { afterSeq: 2, context: all.context! });
    expect(newer.rows.map((r) => r.path)).toEqual(['/maps/raster/v1/zxy/Light_3857/7/63/3.png']);
    expect(newer.since).toEqual({ oldestSeq: 1 });
    expect((await send('getActivity', { afterSeq: 3, context: all.context! })).rows).toEqual([]);
  });

  it('sends the whole log again when a project was renamed (its rows carry the name)', async () => {
    const { id } = await send('saveProject', { name: 'Alpha', key: KEY, secret: '', authMode: 'header' });
    await send('setActiveProject', { id });
    await requests(1);
    const first = await send('getActivity', {});
    const revision = (await send('getState', {})).projects.find((p) => p.id === id)?.revision;
    await send('saveProject', { id, revision, name: 'Beta', key: KEY, secret: '', authMode: 'header' });
    const again = await send('getActivity', { afterSeq: 1, context: first.context! });
    expect(again.since).toBeUndefined();
    expect(again.context).not.toBe(first.context);
    expect(again.rows.map((r) => r.projectName)).toEqual(['Beta']);
  });

  it('after Clear activity: no rows and no oldest seq', async () => {
    await requests(1, 2);
    const first = await send('getActivity', {});
    await send('clearActivity', {});
    expect(await send('getActivity', { afterSeq: 2, context: first.context! })).toMatchObject({
      rows: [],
      since: { oldestSeq: null },
    });
  });
});
