// The passphrase lock against the in-memory fake browser: what is stored, what is attached, the
// badge, and every transition (enable, lock, unlock, restart, change, disable, forget).
import { describe, expect, it } from 'vitest';
import { LOCK_SESSION_KEY, STATE_STORAGE_KEY, type KeyringState } from '../../../src/core/project';
import { parseCurrentState } from '../../../src/core/state-schema';
import { settle } from '../../fakes/settle';
import { failure, fake, freshBackgroundEachTest, headerValues, send, start } from '../../fakes/background-prelude';

const PASS = 'correct horse battery';
const KEY = 'LOCKEDKEY0000000000000000001';
const SECRET = 'S3cretValue';

const stored = () => structuredClone(fake.local.get(STATE_STORAGE_KEY)) as KeyringState;

/** A header project (active) and an OAuth one, then the lock turned on. */
async function startLocked(): Promise<{ id: string; oauthId: string }> {
  await start();
  const { id } = await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
  const { id: oauthId } = await send('saveProject', {
    name: 'Auth',
    key: 'OAUTHKEY000000000000000002',
    secret: SECRET,
    authMode: 'oauth',
  });
  await send('setActiveProject', { id });
  await send('enableLock', { passphrase: PASS });
  await settle();
  return { id, oauthId };
}

freshBackgroundEachTest();

describe('passphrase lock', () => {
  it('enable: nothing stored in storage.local contains a key or secret; still unlocked, rules unchanged', async () => {
    await startLocked();
    const text = JSON.stringify([...fake.local.entries()]);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('OAUTHKEY');
    const state = stored();
    expect(state.lock).toMatchObject({
      version: 1,
      cipher: 'AES-GCM',
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1000 },
    });
    expect(state.projects.map((p) => [p.name, p.key, p.secret])).toEqual([
      ['Live', '', ''],
      ['Auth', '', ''],
    ]);
    // Only session memory holds the key.
    expect(fake.session.has(LOCK_SESSION_KEY)).toBe(true);
    expect(headerValues()).toEqual([KEY, KEY]);
    expect((await send('getState', {})).lock).toBe('unlocked');
    expect(await send('revealSecret', { id: state.projects[0]!.id, field: 'key' })).toEqual({ value: KEY });
  });

  it('a weak passphrase is refused and nothing changes', async () => {
    await start();
    await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
    const before = stored();
    expect(await failure(send('enableLock', { passphrase: 'short' }))).toMatchObject({ code: 'weak-passphrase' });
    expect(stored()).toEqual(before);
  });

  it('lock now: rules removed, LOCK badge, secrets refused; names still listed', async () => {
    const { id } = await startLocked();
    await send('lockNow', {});
    await settle();
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge).toMatchObject({ text: 'LOCK', title: 'OS API Keyring: locked: open the popup to unlock' });
    const view = await send('getState', {});
    expect(view.lock).toBe('locked');
    expect(view.projects.map((p) => p.name)).toEqual(['Live', 'Auth']);
    expect(await failure(send('revealSecret', { id, field: 'key' }))).toMatchObject({ code: 'locked' });
    expect(
      await failure(send('copyCurlCommand', { url: 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png' })),
    ).toMatchObject({ code: 'locked' });
    expect(
      await failure(
        send('saveProject', { id, revision: 3, name: 'Live', key: 'NEWKEY000000000', secret: '', authMode: 'header' }),
      ),
    ).toMatchObject({ code: 'locked' });
    expect(await failure(send('exportProjects', { includeSecrets: true }))).toMatchObject({ code: 'locked' });
    expect((await send('exportProjects', { includeSecrets: false })).text).not.toContain(KEY);
  });

  it('unlock with a wrong passphrase: clear error, still locked; the right one brings the rules back', async () => {
    await startLocked();
    await send('lockNow', {});
    expect(await failure(send('unlock', { passphrase: 'wrong passphrase' }))).toMatchObject({
      code: 'wrong-passphrase',
      message: expect.stringMatching(/^Wrong passphrase/),
    });
    await settle();
    expect(fake.sessionRules).toEqual([]);
    expect((await send('getState', {})).lock).toBe('locked');
    await send('unlock', { passphrase: PASS });
    await settle();
    expect(headerValues()).toEqual([KEY, KEY]);
    expect(fake.badge.text).toBe('LIVE');
    expect((await send('getState', {})).lock).toBe('unlocked');
  });

  it('a sleeping worker stays unlocked; a browser restart locks again', async () => {
    await startLocked();
    fake.killWorker();
    await start();
    await settle();
    expect((await send('getState', {})).lock).toBe('unlocked');
    expect(headerValues()).toEqual([KEY, KEY]);
    fake.restartBrowser();
    await start();
    fake.events.onStartup.dispatch();
    await settle();
    expect((await send('getState', {})).lock).toBe('locked');
    expect(fake.sessionRules).toEqual([]);
    expect(fake.badge.text).toBe('LOCK');
  });

  it('edits while unlocked are re-sealed in one write: the new key is used and is not stored in plain text', async () => {
    const { id } = await startLocked();
    const revision = stored().projects[0]!.revision;
    const saltBefore = stored().lock!.kdf.salt;
    await send('saveProject', {
      id,
      revision,
      name: 'Live',
      key: 'CHANGEDKEY000000000000000003',
      secret: '',
      authMode: 'header',
    });
    await send('saveProject', { name: 'Third', key: 'THIRDKEY0000000000000000004', secret: '', authMode: 'query' });
    await settle();
    expect(JSON.stringify(stored())).not.toContain('CHANGEDKEY');
    expect(JSON.stringify(stored())).not.toContain('THIRDKEY');
    expect(stored().lock!.kdf.salt).toBe(saltBefore);
    expect(headerValues()).toEqual(['CHANGEDKEY000000000000000003', 'CHANGEDKEY000000000000000003']);
    await send('lockNow', {});
    await send('unlock', { passphrase: PASS });
    const third = stored().projects.find((p) => p.name === 'Third')!;
    expect(await send('revealSecret', { id: third.id, field: 'key' })).toEqual({
      value: 'THIRDKEY0000000000000000004',
    });
  });

  it('change passphrase: the old one is refused afterwards, the new one opens the same keys', async () => {
    const { id } = await startLocked();
    expect(
      await failure(send('changePassphrase', { old: 'not the one at all', new: 'a new passphrase' })),
    ).toMatchObject({ code: 'wrong-passphrase' });
    await send('changePassphrase', { old: PASS, new: 'a new passphrase' });
    await settle();
    expect((await send('getState', {})).lock).toBe('unlocked');
    expect(headerValues()).toEqual([KEY, KEY]);
    await send('lockNow', {});
    expect(await failure(send('unlock', { passphrase: PASS }))).toMatchObject({ code: 'wrong-passphrase' });
    await send('unlock', { passphrase: 'a new passphrase' });
    expect(await send('revealSecret', { id, field: 'key' })).toEqual({ value: KEY });
  });

  it('disable: wrong passphrase refused; the right one puts the keys back in plain text and removes the lock', async () => {
    const { id, oauthId } = await startLocked();
    expect(await failure(send('disableLock', { passphrase: 'wrong passphrase' }))).toMatchObject({
      code: 'wrong-passphrase',
    });
    expect(stored().lock).not.toBeNull();
    await send('lockNow', {});
    await send('disableLock', { passphrase: PASS });
    await settle();
    const state = stored();
    expect(state.lock).toBeNull();
    expect(state.projects.find((p) => p.id === id)).toMatchObject({ key: KEY, secret: '' });
    expect(state.projects.find((p) => p.id === oauthId)).toMatchObject({
      key: 'OAUTHKEY000000000000000002',
      secret: SECRET,
    });
    expect(fake.session.has(LOCK_SESSION_KEY)).toBe(false);
    expect((await send('getState', {})).lock).toBe('off');
    expect(headerValues()).toEqual([KEY, KEY]);
  });

  describe('a storage write that fails during a transition changes nothing', () => {
    const QUOTA = new Error('QUOTA_BYTES quota exceeded');
    /** Everything a transition could change: stored document, session key, rules, what the popup sees. */
    const snapshot = async () => ({
      stored: stored(),
      session: structuredClone(fake.session.get(LOCK_SESSION_KEY)),
      rules: structuredClone(fake.sessionRules),
      lock: (await send('getState', {})).lock,
    });

    it('turning the lock on: keys stay in place, no lock, no session key', async () => {
      await start();
      const { id } = await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
      await send('setActiveProject', { id });
      await settle();
      const before = await snapshot();
      fake.failWrites = QUOTA;
      expect(await failure(send('enableLock', { passphrase: PASS }))).toEqual({
        code: 'storage',
        message: 'The browser could not save your change (QUOTA_BYTES quota exceeded). Nothing was changed.',
      });
      fake.failWrites = null;
      await settle();
      expect(await snapshot()).toEqual(before);
      expect(before).toMatchObject({ session: undefined, lock: 'off', stored: { lock: null } });
      expect(headerValues()).toEqual([KEY, KEY]);
    });

    it('changing the passphrase: the old one still opens the lock, the new one does not', async () => {
      await startLocked();
      const before = await snapshot();
      fake.failWrites = QUOTA;
      expect(await failure(send('changePassphrase', { old: PASS, new: 'a new passphrase' }))).toMatchObject({
        code: 'storage',
        message: expect.stringMatching(/Nothing was changed\.$/),
      });
      fake.failWrites = null;
      await settle();
      expect(await snapshot()).toEqual(before);
      expect(headerValues()).toEqual([KEY, KEY]);
      await send('lockNow', {});
      expect(await failure(send('unlock', { passphrase: 'a new passphrase' }))).toMatchObject({
        code: 'wrong-passphrase',
      });
      await send('unlock', { passphrase: PASS });
      expect((await send('getState', {})).lock).toBe('unlocked');
    });

    it('turning the lock off: the same lock, keys still sealed, the session still unlocked', async () => {
      await startLocked();
      const before = await snapshot();
      fake.failWrites = QUOTA;
      expect(await failure(send('disableLock', { passphrase: PASS }))).toMatchObject({
        code: 'storage',
        message: expect.stringMatching(/Nothing was changed\.$/),
      });
      fake.failWrites = null;
      await settle();
      expect(await snapshot()).toEqual(before);
      expect(before.lock).toBe('unlocked');
      expect(JSON.stringify(stored())).not.toContain(KEY);
      expect(headerValues()).toEqual([KEY, KEY]);
      await send('lockNow', {});
      await send('unlock', { passphrase: PASS });
      expect((await send('getState', {})).lock).toBe('unlocked');
    });

    it('a session write failing after the lock is on leaves it locked, never without data', async () => {
      await start();
      const { id } = await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
      await send('setActiveProject', { id });
      fake.failSessionWrites = QUOTA;
      await send('enableLock', { passphrase: PASS });
      fake.failSessionWrites = null;
      await settle();
      expect((await send('getState', {})).lock).toBe('locked');
      expect(fake.sessionRules).toEqual([]);
      expect(JSON.stringify(stored())).not.toContain(KEY);
      await send('unlock', { passphrase: PASS });
      await settle();
      expect(headerValues()).toEqual([KEY, KEY]);
    });
  });

  it('forgot passphrase: keys and secrets cleared, names and the rest kept, lock off, stored data still valid', async () => {
    const { id } = await startLocked();
    await send('lockNow', {});
    const before = stored();
    await send('forgetLockedSecrets', {});
    await settle();
    const state = stored();
    expect(state.lock).toBeNull();
    expect(state.projects).toEqual(before.projects);
    expect(state.activeProjectId).toBe(id);
    expect(parseCurrentState(state).ok).toBe(true);
    expect(fake.sessionRules).toEqual([]);
    expect((await send('getState', {})).lock).toBe('off');
    // The key is entered again by editing the project.
    await send('saveProject', {
      id,
      revision: state.projects[0]!.revision,
      name: 'Live',
      key: 'REENTEREDKEY0000000000005',
      secret: '',
      authMode: 'header',
    });
    await settle();
    expect(headerValues()).toEqual(['REENTEREDKEY0000000000005', 'REENTEREDKEY0000000000005']);
  });

  it('a stored lock weaker than the real count is refused as damaged (the extension never lowers it)', () => {
    const lock = {
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1000, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      cipher: 'AES-GCM',
      check: { iv: 'AAAAAAAAAAAAAAAA', data: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      sealed: { iv: 'AAAAAAAAAAAAAAAA', data: 'AAAAAAAAAAAAAAAAAAAAAA==' },
    };
    const state = { schemaVersion: 5, projects: [], activeProjectId: null, nextRuleSlot: 0, allowedSites: [], lock };
    expect(parseCurrentState(state, { minIterations: 1000 }).ok).toBe(true);
    expect(parseCurrentState(state)).toMatchObject({ ok: false, error: expect.stringMatching(/^lock/) });
  });
});

describe('import with the lock on', () => {
  it('a file with keys, imported while unlocked, is saved with its keys sealed and attaches them', async () => {
    await startLocked();
    const text = JSON.stringify({
      format: 'os-api-keyring',
      version: 1,
      projects: [
        {
          name: 'Imported',
          authMode: 'header',
          mode: 'dev',
          badgeText: 'IMP',
          color: '#123456',
          key: 'IMPORTEDKEY00000000000000003',
        },
      ],
    });
    expect(await send('applyImport', { text })).toEqual({ added: 1, updated: 0, skipped: 0 });
    await settle();
    expect(JSON.stringify(stored())).not.toContain('IMPORTEDKEY00000000000000003');
    const imported = (await send('getState', {})).projects.find((p) => p.name === 'Imported')!;
    await send('setActiveProject', { id: imported.id });
    await settle();
    expect(headerValues()).toContain('IMPORTEDKEY00000000000000003');
  });
});
