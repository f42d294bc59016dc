// The storage and rule traffic of one user action, counted against the fake browser and pinned
// (issue 13, item 4). A change that re-reads or re-applies (the echo of the background's own
// write, a second reconcile after a token refresh) shows up here as a higher count.
// SHOW_COUNTS=1 prints the counts.
import { beforeEach, describe, expect, it } from 'vitest';
import { STATE_STORAGE_KEY } from '../../../src/core/project';
import { settle } from '../../fakes/settle';
import { env, fake, freshBackgroundEachTest, send, start as startReady } from '../../fakes/background-prelude';

freshBackgroundEachTest();

interface Counts {
  /** storage.local.get calls that asked for the state document. */
  stateReads: number;
  /** storage.local.set calls that wrote the state document. */
  stateWrites: number;
  /** Every storage get (both areas, any key). */
  reads: number;
  /** Every storage set (both areas, any key). */
  writes: number;
  ruleUpdates: number;
  /** Rule computations carried out (each reads the installed rules once to diff against them). */
  applies: number;
}

let counts: Counts;

/** Wrap the fake's storage areas so every get and set is counted. */
function countStorage(): void {
  for (const areaName of ['local', 'session'] as const) {
    const area = fake.storage[areaName];
    const get = area.get.bind(area);
    const set = area.set.bind(area);
    area.get = (keys) => {
      counts.reads++;
      const wanted = keys === null ? [] : Array.isArray(keys) ? keys : [keys];
      if (areaName === 'local' && wanted.includes(STATE_STORAGE_KEY)) counts.stateReads++;
      return get(keys);
    };
    area.set = (items) => {
      counts.writes++;
      if (areaName === 'local' && STATE_STORAGE_KEY in items) counts.stateWrites++;
      return set(items);
    };
  }
  const getRules = fake.dnr.getSessionRules.bind(fake.dnr);
  fake.dnr.getSessionRules = () => {
    counts.applies++;
    return getRules();
  };
}

function resetCounts(): void {
  counts = { stateReads: 0, stateWrites: 0, reads: 0, writes: 0, ruleUpdates: 0, applies: 0 };
  fake.updateCalls = 0;
}

/** The counts since the last reset, once every queued reaction (echoes, refreshes) has run. */
async function measured(): Promise<Counts> {
  await settle();
  const out = { ...counts, ruleUpdates: fake.updateCalls };
  if (process.env.SHOW_COUNTS) console.log(expect.getState().currentTestName, JSON.stringify(out));
  return out;
}

async function start(): Promise<void> {
  await startReady();
  await settle();
}

beforeEach(() => {
  countStorage();
  resetCounts();
});

describe('one user action: its reads, writes and rule updates', () => {
  it('switch to a key project (popup click)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY1', secret: '', authMode: 'header' });
    await settle();
    resetCounts();
    await send('setActiveProject', { id });
    expect(await measured()).toEqual({
      stateReads: 1,
      stateWrites: 1,
      reads: 2,
      writes: 1,
      ruleUpdates: 1,
      applies: 1,
    });
  });

  it('switch to an OAuth project (token fetched first)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY', secret: 'LIVESECRET', authMode: 'oauth' });
    await settle();
    resetCounts();
    await send('setActiveProject', { id });
    expect(await measured()).toEqual({
      stateReads: 1,
      stateWrites: 1,
      reads: 2,
      writes: 2,
      ruleUpdates: 1,
      applies: 1,
    });
  });

  it('edit the active project (save)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY1', secret: '', authMode: 'header' });
    await send('setActiveProject', { id });
    await settle();
    resetCounts();
    await send('saveProject', { id, revision: 1, name: 'Live', key: 'LIVEKEY2', secret: '', authMode: 'header' });
    expect(await measured()).toEqual({
      stateReads: 0,
      stateWrites: 1,
      reads: 1,
      writes: 1,
      ruleUpdates: 1,
      applies: 1,
    });
  });

  it('OAuth token refreshed on time (timer)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY', secret: 'LIVESECRET', authMode: 'oauth' });
    await send('setActiveProject', { id });
    await settle();
    resetCounts();
    await env.advance(env.tokenLifetimeS * 1000, settle);
    expect(env.tokenRequests).toHaveLength(2);
    // The check that starts the refresh applies nothing (no token went stale); the new token is
    // applied once when it arrives (was 2 applies and 2 reads before the check stopped reconciling).
    expect(await measured()).toEqual({
      stateReads: 0,
      stateWrites: 0,
      reads: 1,
      writes: 1,
      ruleUpdates: 1,
      applies: 1,
    });
  });

  it('worker wake with the rules in place (idempotent)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY1', secret: '', authMode: 'header' });
    await send('setActiveProject', { id });
    await settle();
    fake.killWorker();
    resetCounts();
    await start();
    expect(await measured()).toEqual({
      stateReads: 1,
      stateWrites: 0,
      reads: 5,
      writes: 0,
      ruleUpdates: 0,
      applies: 1,
    });
  });

  it('a state written by anyone else is not taken for an echo: it is read and applied', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY1', secret: '', authMode: 'header' });
    await send('setActiveProject', { id });
    await settle();
    const stored = structuredClone(fake.local.get(STATE_STORAGE_KEY)) as { activeProjectId: string | null };
    resetCounts();
    await fake.storage.local.set({ [STATE_STORAGE_KEY]: { ...stored, activeProjectId: null } });
    expect(await measured()).toMatchObject({ stateReads: 1, ruleUpdates: 1 });
    expect(fake.sessionRules).toEqual([]);
  });
});
