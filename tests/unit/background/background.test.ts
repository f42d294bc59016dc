// The background against the in-memory fake browser: reconcile on every start path, atomic
// switching, idempotence, worker restarts, menus, the shortcut and failure handling.
import { describe, expect, it } from 'vitest';
import { STATE_STORAGE_KEY } from '../../../src/core/project';
import { isPlaceholderRemovalId } from '../../../src/core/rule-ids';
import { settle } from '../../fakes/settle';
import stateV1 from '../../../src/core/fixtures/state-v1.json';
import stateV2 from '../../../src/core/fixtures/state-v2.json';
import { fake, freshBackgroundEachTest, headerValues, send, start } from '../../fakes/background-prelude';

/** Let queued microtasks (storage.onChanged → reconcile) run to completion. */

freshBackgroundEachTest();

describe('start-up', () => {
  it('a fresh install writes the empty state, installs no rules and shows Off', async () => {
    await start();
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual({
      schemaVersion: 5,
      projects: [],
      activeProjectId: null,
      nextRuleSlot: 0,
      allowedSites: [],
      lock: null,
    });
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge).toMatchObject({
      text: '',
      title: 'OS API Keyring: Off (no credential attached)',
      icon: { '16': 'icons/icon-off-16.png' },
    });
    expect(fake.menu.map((m) => m.title)).toEqual(['Off']);
  });

  it('reapplies the active project from storage when the browser starts (session rules are gone)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY1', secret: '', authMode: 'header' });
    await send('setActiveProject', { id });
    // Browser restart: session rules and the worker are gone, storage stays.
    fake.killWorker();
    fake.sessionRules = [];
    await start();
    fake.events.onStartup.dispatch();
    await settle();
    expect(headerValues()).toEqual(['LIVEKEY1', 'LIVEKEY1']);
    expect(fake.badge).toMatchObject({ text: 'LIVE', title: 'OS API Keyring: Live (Key header)' });
  });

  it('a restarted worker with the right rules in place changes nothing (idempotent)', async () => {
    await start();
    const { id } = await send('saveProject', { name: 'Live', key: 'LIVEKEY1', secret: '', authMode: 'query' });
    await send('setActiveProject', { id });
    await settle();
    const rulesBefore = structuredClone(fake.sessionRules);
    const callsBefore = fake.updateCalls;
    fake.killWorker();
    const bg = await start();
    fake.events.onInstalled.dispatch({ reason: 'update' });
    await bg.reconcile();
    await settle();
    expect(fake.updateCalls).toBe(callsBefore);
    expect(fake.sessionRules).toEqual(rulesBefore);
  });

  it('an update across a schema change: the previous schema is migrated, written back, and applied', async () => {
    fake.local.set(STATE_STORAGE_KEY, structuredClone({ ...stateV1, activeProjectId: stateV1.projects[0]!.id }));
    await start();
    fake.events.onInstalled.dispatch({ reason: 'update' });
    await settle();
    // Schema 5 renamed each project's `plan` to `mode`, value kept.
    const projects = stateV2.projects.map(({ plan, ...rest }) => ({ ...rest, mode: plan }));
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual({
      ...stateV2,
      projects,
      schemaVersion: 5,
      allowedSites: [],
      lock: null,
      activeProjectId: stateV1.projects[0]!.id,
    });
    expect(headerValues()).toEqual(['STAGINGkey000000000000000001', 'STAGINGkey000000000000000001']);
    expect((await send('getState', {})).projects.map((p) => p.name)).toEqual(['Staging map', 'Live OAuth']);
  });

  it('a failed migration leaves the old data as it was, attaches nothing and says so', async () => {
    const broken = { ...structuredClone(stateV1), projects: 'not a list' };
    fake.local.set(STATE_STORAGE_KEY, structuredClone(broken));
    await start();
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(broken);
    expect(fake.sessionRules).toEqual([]);
    expect(await send('getState', {})).toMatchObject({
      status: 'damaged',
      problem: expect.stringMatching(/schema 1 failed: the project list is missing\. The old data is kept unchanged/),
    });
  });

  it('heals stale rules in our band and leaves foreign rules alone', async () => {
    fake.sessionRules = [
      {
        id: 1142,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value: 'STALE' }] },
        condition: {},
      },
      {
        id: 7,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'x', operation: 'set', value: 'v' }] },
        condition: {},
      },
    ];
    await start();
    expect(fake.sessionRules.map((r) => r.id)).toEqual([7]);
  });

  it('damaged storage: nothing attached, error badge, data untouched, explained in getState', async () => {
    const damaged = {
      schemaVersion: 2,
      projects: [{ id: 'x', name: 'X', key: 'bad key' }],
      activeProjectId: 'x',
      nextRuleSlot: 1,
    };
    fake.local.set(STATE_STORAGE_KEY, structuredClone(damaged));
    fake.sessionRules = [
      {
        id: 1000,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'key', operation: 'set', value: 'OLD' }] },
        condition: {},
      },
    ];
    await start();
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge.text).toBe('!');
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(damaged);
    const state = await send('getState', {});
    expect(state).toMatchObject({ status: 'damaged', problem: expect.stringMatching(/damaged/) });
    await expect(send('saveProject', { name: 'N', key: 'K', secret: '', authMode: 'header' })).rejects.toMatchObject({
      detail: { code: 'damaged' },
    });
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(damaged);
  });

  it('reset of damaged data keeps a backup and starts empty', async () => {
    fake.local.set(STATE_STORAGE_KEY, { schemaVersion: 2, projects: 'nope' });
    await start();
    const { backupKey } = await send('resetDamagedState', {});
    expect(fake.local.get(backupKey)).toEqual({ schemaVersion: 2, projects: 'nope' });
    expect(await send('getState', {})).toMatchObject({ status: 'ok', projects: [] });
  });
});

describe('switching', () => {
  it('switching projects is one atomic update: never both credentials, never none', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    const b = await send('saveProject', { name: 'B', key: 'BKEY', secret: '', authMode: 'query' });
    await send('setActiveProject', { id: a.id });
    fake.ruleHistory = [];
    await send('setActiveProject', { id: b.id });
    await send('setActiveProject', { id: a.id });
    await settle();
    expect(fake.ruleHistory.length).toBe(2);
    for (const rules of fake.ruleHistory) {
      // The placeholder-removal redirects (Key header mode) attach nothing.
      const credentialRules = rules.filter((r) => r.action.type !== 'allow' && !isPlaceholderRemovalId(r.id));
      const credentials = new Set(credentialRules.map((r) => JSON.stringify(r.action)));
      expect(credentialRules).toHaveLength(2);
      expect(credentials.size).toBe(1);
    }
  });

  it('Off removes every rule and the badge', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    await send('setActiveProject', { id: a.id });
    await send('setActiveProject', { id: null });
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge).toMatchObject({ text: '', icon: { '16': 'icons/icon-off-16.png' } });
  });

  it('editing the active project replaces its rules in place', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    await send('setActiveProject', { id: a.id });
    await send('saveProject', { id: a.id, revision: 1, name: 'A', key: 'AKEY2', secret: '', authMode: 'header' });
    expect(headerValues()).toEqual(['AKEY2', 'AKEY2']);
  });

  it('deleting the active project switches Off and removes its rules', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    await send('setActiveProject', { id: a.id });
    await send('deleteProject', { id: a.id });
    expect(fake.sessionRules).toEqual([]);
    expect((await send('getState', {})).activeProjectId).toBeNull();
  });

  it('the context menu lists projects and Off, and a click switches', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    await settle();
    expect(fake.menu.map((m) => [m.title, m.checked])).toEqual([
      ['A (Key header)', false],
      ['Off', true],
    ]);
    fake.events.onMenuClicked.dispatch({ menuItemId: `activate:${a.id}` });
    await settle();
    expect(headerValues()).toEqual(['AKEY', 'AKEY']);
    expect(fake.menu.map((m) => [m.title, m.checked])).toEqual([
      ['A (Key header)', true],
      ['Off', false],
    ]);
    fake.events.onMenuClicked.dispatch({ menuItemId: 'activate:off' });
    await settle();
    expect(fake.sessionRules).toEqual([]);
  });

  it('more than six menu entries go under one parent (Chromium’s action-menu limit)', async () => {
    await start();
    for (let i = 1; i <= 6; i++)
      await send('saveProject', { name: `P${i}`, key: `K${i}`, secret: '', authMode: 'header' });
    await settle();
    expect(fake.menu[0]).toMatchObject({ id: 'active-project', title: 'Active project' });
    expect(fake.menu.slice(1).every((m) => m.parentId === 'active-project')).toBe(true);
    expect(fake.menu).toHaveLength(8);
  });

  it('the keyboard shortcut cycles Off → A → B → Off', async () => {
    await start();
    await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    await send('saveProject', { name: 'B', key: 'BKEY', secret: '', authMode: 'header' });
    const seen: (string | undefined)[][] = [];
    for (let i = 0; i < 3; i++) {
      fake.events.onCommand.dispatch('cycle-project');
      await settle();
      seen.push(headerValues());
    }
    expect(seen).toEqual([['AKEY', 'AKEY'], ['BKEY', 'BKEY'], []]);
    fake.events.onCommand.dispatch('some-other-command');
    await settle();
    expect(fake.sessionRules).toEqual([]);
  });
});

describe('failures and concurrency', () => {
  it('a failed storage write reports the error and changes nothing', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    const before = structuredClone(fake.local.get(STATE_STORAGE_KEY));
    fake.failWrites = new Error('QUOTA_BYTES quota exceeded');
    await expect(send('setActiveProject', { id: a.id })).rejects.toMatchObject({
      detail: {
        code: 'storage',
        message: expect.stringMatching(
          /could not save your change \(QUOTA_BYTES quota exceeded\)\. Nothing was changed/,
        ),
      },
    });
    expect(fake.local.get(STATE_STORAGE_KEY)).toEqual(before);
    expect(fake.sessionRules).toEqual([]);
  });

  it('concurrent saves are serialised: both land, slots distinct', async () => {
    await start();
    await Promise.all([
      send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' }),
      send('saveProject', { name: 'B', key: 'BKEY', secret: '', authMode: 'header' }),
      send('saveProject', { name: 'C', key: 'CKEY', secret: '', authMode: 'header' }),
    ]);
    const state = await send('getState', {});
    expect(state.projects.map((p) => p.name).sort()).toEqual(['A', 'B', 'C']);
    const stored = fake.local.get(STATE_STORAGE_KEY) as { projects: { ruleSlot: number }[] };
    expect(new Set(stored.projects.map((p) => p.ruleSlot)).size).toBe(3);
  });

  it('two editors of one project: the second save is refused as a conflict', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    const first = await send('getProjectForEdit', { id: a.id });
    const second = await send('getProjectForEdit', { id: a.id });
    await send('saveProject', {
      id: first.id,
      revision: first.revision,
      name: first.name,
      authMode: first.authMode,
      key: 'FIRST',
      secret: '',
    });
    await expect(
      send('saveProject', {
        id: second.id,
        revision: second.revision,
        name: second.name,
        authMode: second.authMode,
        key: 'SECOND',
        secret: '',
      }),
    ).rejects.toMatchObject({ detail: { code: 'conflict' } });
    expect((await send('revealSecret', { id: a.id, field: 'key' })).value).toBe('FIRST');
  });

  it('getState is redacted: no key or secret in what the popup receives', async () => {
    await start();
    await send('saveProject', { name: 'A', key: 'SUPERSECRETKEY1234', secret: 'HIDDENSECRET', authMode: 'header' });
    const text = JSON.stringify(await send('getState', {}));
    expect(text).not.toContain('SUPERSECRETKEY');
    expect(text).not.toContain('HIDDENSECRET');
    expect(text).toContain('1234');
  });

  it('messages from anything but our own pages are refused', async () => {
    await start();
    const reply = await fake.deliverMessage(
      { channel: 'os-api-keyring', type: 'getState', args: {} },
      { id: fake.extensionId, url: 'https://evil.example/', origin: 'https://evil.example' },
    );
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    const foreign = await fake.deliverMessage(
      { channel: 'os-api-keyring', type: 'getState', args: {} },
      { id: 'another-extension', origin: 'chrome-extension://another-extension' },
    );
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  describe('a rule update the browser refuses fails closed: every rule of ours is removed, the error is shown', () => {
    /** The browser refuses the next `times` updates (later ones, such as the removal, go through). */
    function refuseNext(times: number): void {
      const working = fake.dnr.updateSessionRules.bind(fake.dnr);
      let left = times;
      fake.dnr.updateSessionRules = async (update) => {
        if (left-- > 0) throw new Error('Internal error while updating rules');
        return working(update);
      };
    }
    /** The browser refuses every update that adds rules (the new rules are what it rejects); removals go through. */
    function refuseAdding(): void {
      const working = fake.dnr.updateSessionRules.bind(fake.dnr);
      fake.dnr.updateSessionRules = async (update) => {
        if (update.addRules.length) throw new Error('Internal error while updating rules');
        return working(update);
      };
    }
    /** The browser refuses any update that removes more than one rule (only the one-at-a-time fallback gets through). */
    function refuseBulkRemoval(): void {
      const working = fake.dnr.updateSessionRules.bind(fake.dnr);
      fake.dnr.updateSessionRules = async (update) => {
        if (update.removeRuleIds.length > 1) throw new Error('Internal error while updating rules');
        return working(update);
      };
    }
    const keysAttached = () => JSON.stringify(fake.sessionRules.filter((r) => r.action.type !== 'allow'));

    it('switching to another project', async () => {
      await start();
      const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
      const b = await send('saveProject', { name: 'B', key: 'BKEY', secret: '', authMode: 'header' });
      await send('setActiveProject', { id: a.id });
      expect(keysAttached()).toContain('AKEY');
      refuseAdding();
      await expect(send('setActiveProject', { id: b.id })).rejects.toMatchObject({ detail: { code: 'rules' } });
      await settle();
      expect(fake.sessionRules).toEqual([]);
      expect((await send('getState', {})).problem).toMatch(
        /refused the request rules: Internal error while updating rules\. Every rule was removed: nothing is attached/,
      );
      expect(fake.badge).toMatchObject({ text: '!' });
      expect(fake.badge.title).toMatch(/refused the request rules; nothing is attached/);
    });

    it('switching to Off', async () => {
      await start();
      const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
      await send('setActiveProject', { id: a.id });
      refuseBulkRemoval();
      await expect(send('setActiveProject', { id: null })).rejects.toMatchObject({ detail: { code: 'rules' } });
      await settle();
      expect(fake.sessionRules).toEqual([]);
    });

    it('locking', async () => {
      await start();
      const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'query' });
      await send('setActiveProject', { id: a.id });
      await send('enableLock', { passphrase: 'correct horse battery' });
      expect(keysAttached()).toContain('AKEY');
      refuseBulkRemoval();
      await send('lockNow', {}).catch(() => undefined);
      await settle();
      expect(fake.sessionRules).toEqual([]);
    });

    it('when the removal is refused too, one rule at a time; and the popup says what to do if even that fails', async () => {
      await start();
      const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
      const b = await send('saveProject', { name: 'B', key: 'BKEY', secret: '', authMode: 'header' });
      await send('setActiveProject', { id: a.id });
      refuseNext(2); // the switch and the removal of all rules together
      await expect(send('setActiveProject', { id: b.id })).rejects.toMatchObject({ detail: { code: 'rules' } });
      expect(fake.sessionRules).toEqual([]);

      await send('setActiveProject', { id: a.id }); // accepted again
      expect(keysAttached()).toContain('AKEY');
      fake.dnr.updateSessionRules = async () => {
        throw new Error('Internal error while updating rules');
      };
      await expect(send('setActiveProject', { id: b.id })).rejects.toMatchObject({ detail: { code: 'rules' } });
      expect((await send('getState', {})).problem).toMatch(
        /Removing the previous rules failed too: turn the extension off/,
      );
    });
  });

  it('a rule update the engine refuses is reported in getState', async () => {
    await start();
    const a = await send('saveProject', { name: 'A', key: 'AKEY', secret: '', authMode: 'header' });
    const working = fake.dnr.updateSessionRules.bind(fake.dnr);
    fake.dnr.updateSessionRules = async () => {
      throw new Error('Rule with id 1000 is invalid');
    };
    await expect(send('setActiveProject', { id: a.id })).rejects.toMatchObject({ detail: { code: 'rules' } });
    expect((await send('getState', {})).problem).toMatch(/refused the request rules: Rule with id 1000 is invalid/);
    // Once the browser accepts the rules again, the popup stops showing the stale error.
    fake.dnr.updateSessionRules = working;
    await send('setActiveProject', { id: a.id });
    expect(await fake.dnr.getSessionRules()).not.toEqual([]);
    expect((await send('getState', {})).problem).toBeNull();
  });
});
