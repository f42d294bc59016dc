// Backups of damaged data ("Start again") and the passphrase lock, against the in-memory fake
// browser: with the lock on, no key or secret may be left in plain text anywhere in storage.local.
import { describe, expect, it, vi } from 'vitest';
import { STATE_STORAGE_KEY, type KeyringState } from '../../../src/core/project';
import { isSealedBackup, openBackup } from '../../../src/core/sealed-backup';
import { deriveKey, fromBase64 } from '../../../src/core/secret-box';
import { settle } from '../../fakes/settle';
import { env, failure, fake, freshBackgroundEachTest, send, start } from '../../fakes/background-prelude';

const PASS = 'correct horse battery';
const OLD_KEY = 'BACKUPKEY00000000000000000001';
const OLD_SECRET = 'BackupSecret7';
const KEY = 'LIVEKEY000000000000000000002';
const QUOTA = new Error('QUOTA_BYTES quota exceeded');

/** Everything in storage.local as one text: what "no plaintext anywhere" is checked against. */
const allLocal = () => JSON.stringify([...fake.local.entries()]);
const backupKeys = () => [...fake.local.keys()].filter((k) => k.startsWith(`${STATE_STORAGE_KEY}.backup.`));

/** A project as stored, with the old key and secret. */
const oldProject = (key = OLD_KEY, secret = OLD_SECRET) => ({
  id: 'p1',
  name: 'Old',
  key,
  secret,
  authMode: 'oauth',
  mode: 'dev',
  keyChangedAt: 1,
  badgeText: '',
  color: '#112233',
  ruleSlot: 0,
  revision: 1,
  createdAt: 1,
  updatedAt: 1,
});

/**
 * A damaged document holding the old key and secret in plain text (a rule slot out of range),
 * "Start again", then a live project with another key.
 */
async function startWithPlainBackup(): Promise<void> {
  fake.local.set(STATE_STORAGE_KEY, {
    schemaVersion: 2,
    projects: [oldProject()],
    activeProjectId: 'p1',
    nextRuleSlot: 0,
    allowedSites: [],
    lock: null,
  });
  await start();
  expect(await send('resetDamagedState', {})).toMatchObject({ sealed: false });
  const { id } = await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
  await send('setActiveProject', { id });
  await settle();
  // The premise: the backup holds the old key and secret in plain text.
  expect(allLocal()).toContain(OLD_KEY);
  expect(allLocal()).toContain(OLD_SECRET);
}

function expectNoPlaintext(): void {
  const text = allLocal();
  for (const secret of [OLD_KEY, OLD_SECRET, KEY]) expect(text).not.toContain(secret);
}

freshBackgroundEachTest();

describe('backups of damaged data and the lock', () => {
  it('turning the lock on with plain backups asks for a choice first, and changes nothing', async () => {
    await startWithPlainBackup();
    const before = allLocal();
    expect(await failure(send('enableLock', { passphrase: PASS }))).toEqual({
      code: 'backups',
      message:
        'A backup of damaged data (from Start again) may hold keys in plain text. Choose whether to seal it with the lock or delete it.',
    });
    expect(allLocal()).toBe(before);
    expect((await send('getState', {})).lock).toBe('off');
  });

  it('seal: no key or secret in plain text anywhere in storage.local; the backup is listed sealed and opens with the passphrase', async () => {
    await startWithPlainBackup();
    await send('enableLock', { passphrase: PASS, backups: 'seal' });
    await settle();
    expectNoPlaintext();
    const { backups } = await send('listBackups', {});
    expect(backups).toEqual([{ savedAt: env.time, bytes: expect.any(Number) as number, sealed: true }]);
    expect(backups[0]!.bytes).toBe(new TextEncoder().encode(JSON.stringify(fake.local.get(backupKeys()[0]!))).length);
    // Nothing lost: the passphrase opens the sealed copy to the damaged document as it was.
    const sealed = fake.local.get(backupKeys()[0]!);
    if (!isSealedBackup(sealed)) throw new Error('not sealed');
    const key = await deriveKey(PASS, fromBase64(sealed.kdf.salt)!, sealed.kdf.iterations, env.crypto.subtle);
    expect((await openBackup(sealed, key, env.crypto.subtle))?.document).toMatchObject({
      projects: [{ key: OLD_KEY, secret: OLD_SECRET }],
    });
    expect((await send('getState', {})).lock).toBe('unlocked');
  });

  describe('changing the passphrase', () => {
    const NEW_PASS = 'a different passphrase';
    /** The stored backup opened with a passphrase (under the backup's own salt): its document, or null. */
    async function openStoredBackup(passphrase: string): Promise<unknown> {
      const sealed = fake.local.get(backupKeys()[0]!);
      if (!isSealedBackup(sealed)) throw new Error('not sealed');
      const key = await deriveKey(passphrase, fromBase64(sealed.kdf.salt)!, sealed.kdf.iterations, env.crypto.subtle);
      return (await openBackup(sealed, key, env.crypto.subtle))?.document ?? null;
    }

    it('re-seals the sealed backups: the new passphrase opens them, the old one no longer does', async () => {
      await startWithPlainBackup();
      await send('enableLock', { passphrase: PASS, backups: 'seal' });
      // Two PBKDF2 runs, as without backups: the old passphrase's (it opens the lock and the backup) and the new one's.
      const deriveBits = vi.spyOn(env.crypto.subtle, 'deriveBits');
      try {
        await send('changePassphrase', { old: PASS, new: NEW_PASS });
        expect(deriveBits).toHaveBeenCalledTimes(2);
      } finally {
        deriveBits.mockRestore();
      }
      await settle();
      expectNoPlaintext();
      expect(await openStoredBackup(NEW_PASS)).toMatchObject({ projects: [{ key: OLD_KEY, secret: OLD_SECRET }] });
      expect(await openStoredBackup(PASS)).toBeNull();
      expect((await send('listBackups', {})).backups).toEqual([expect.objectContaining({ sealed: true })]);
      // The lock itself follows the new passphrase too.
      fake.session.clear();
      await send('unlock', { passphrase: NEW_PASS });
      expect((await send('getState', {})).lock).toBe('unlocked');
    });

    it('a write refused while changing it changes nothing: the old passphrase still opens lock and backup', async () => {
      await startWithPlainBackup();
      await send('enableLock', { passphrase: PASS, backups: 'seal' });
      await settle();
      const before = allLocal();
      fake.failWrites = QUOTA;
      expect(await failure(send('changePassphrase', { old: PASS, new: NEW_PASS }))).toEqual({
        code: 'storage',
        message: 'The browser could not save your change (QUOTA_BYTES quota exceeded). Nothing was changed.',
      });
      fake.failWrites = null;
      await settle();
      expect(allLocal()).toBe(before);
      expect(await openStoredBackup(PASS)).toMatchObject({ projects: [{ key: OLD_KEY }] });
    });
  });

  it('delete: no key or secret in plain text anywhere in storage.local, and no backup left', async () => {
    await startWithPlainBackup();
    await send('enableLock', { passphrase: PASS, backups: 'delete' });
    await settle();
    expectNoPlaintext();
    expect(backupKeys()).toEqual([]);
    expect(await send('listBackups', {})).toEqual({ backups: [] });
  });

  it('a write refused while turning the lock on changes nothing: lock off, backup as it was', async () => {
    await startWithPlainBackup();
    const before = allLocal();
    fake.failWrites = QUOTA;
    expect(await failure(send('enableLock', { passphrase: PASS, backups: 'seal' }))).toEqual({
      code: 'storage',
      message: 'The browser could not save your change (QUOTA_BYTES quota exceeded). Nothing was changed.',
    });
    fake.failWrites = null;
    await settle();
    expect(allLocal()).toBe(before);
    expect((await send('getState', {})).lock).toBe('off');
    expect((await send('listBackups', {})).backups.map((b) => b.sealed)).toEqual([false]);
  });

  it('a removal refused after choosing delete leaves the lock on and the backup sealed, and says so', async () => {
    await startWithPlainBackup();
    const local = fake.storage.local;
    const remove = local.remove.bind(local);
    local.remove = () => Promise.reject(new Error('IO error'));
    expect(await failure(send('enableLock', { passphrase: PASS, backups: 'delete' }))).toEqual({
      code: 'storage',
      message:
        'The lock is on and the backups are sealed with it, but the browser could not delete them (IO error). Delete them from the backups list.',
    });
    local.remove = remove;
    await settle();
    expectNoPlaintext();
    expect((await send('getState', {})).lock).toBe('unlocked');
    expect((await send('listBackups', {})).backups.map((b) => b.sealed)).toEqual([true]);
    await send('deleteBackup', { savedAt: env.time });
    expect(backupKeys()).toEqual([]);
  });

  describe('a backup made while the lock is on', () => {
    /** The lock on, then the stored document damaged by a key written into it in plain text. */
    async function damageLocked(): Promise<KeyringState> {
      await start();
      const { id } = await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
      await send('setActiveProject', { id });
      await send('enableLock', { passphrase: PASS });
      const doc = structuredClone(fake.local.get(STATE_STORAGE_KEY)) as KeyringState;
      await fake.storage.local.set({
        [STATE_STORAGE_KEY]: { ...doc, projects: doc.projects.map((p) => ({ ...p, key: OLD_KEY })) },
      });
      await settle();
      expect((await send('getState', {})).status).toBe('damaged');
      return doc;
    }

    it('unlocked: sealed at once; the lock stays on and unlocked', async () => {
      await damageLocked();
      expect(await send('resetDamagedState', {})).toMatchObject({ sealed: true });
      await settle();
      expectNoPlaintext();
      expect(await send('listBackups', {})).toEqual({ backups: [expect.objectContaining({ sealed: true })] });
      expect(await send('getState', {})).toMatchObject({ status: 'ok', lock: 'unlocked', projects: [] });
    });

    it('locked: no key to seal with, so the plain key is blanked; the lock stays on and opens with the passphrase', async () => {
      const doc = await damageLocked();
      await send('lockNow', {}).catch(() => undefined); // refused: the document is damaged
      fake.session.clear(); // as after a browser restart: locked
      expect(await send('resetDamagedState', {})).toMatchObject({ sealed: false });
      await settle();
      expectNoPlaintext();
      // The copy keeps the document's own lock, which still holds the keys sealed.
      expect(fake.local.get(backupKeys()[0]!)).toMatchObject({ lock: doc.lock, projects: [{ key: '' }] });
      expect((await send('getState', {})).lock).toBe('locked');
      await send('unlock', { passphrase: PASS });
      expect((await send('getState', {})).lock).toBe('unlocked');
    });
  });

  describe('recovering the projects of a backup', () => {
    /** The saved project called `name`, with its key and secret as stored (revealed as the form would). */
    async function savedProject(name: string): Promise<{ key: string; secret: string }> {
      const project = (await send('getState', {})).projects.find((p) => p.name === name);
      if (!project) throw new Error(`no project ${name}`);
      const key = (await send('revealSecret', { id: project.id, field: 'key' })).value;
      const secret = (await send('revealSecret', { id: project.id, field: 'secret' })).value;
      return { key, secret };
    }
    const savedAt = async () => (await send('listBackups', {})).backups[0]!.savedAt;

    it('a plain backup: previewed without keys, then imported with its key and secret', async () => {
      await startWithPlainBackup();
      const preview = await send('previewBackupImport', { savedAt: await savedAt() });
      expect(preview.fileErrors).toEqual([]);
      expect(preview.entries.map((e) => [e.name, e.action])).toEqual([['Old', 'add']]);
      expect(JSON.stringify(preview)).not.toContain(OLD_KEY);
      expect(JSON.stringify(preview)).not.toContain(OLD_SECRET);
      const previewed = preview.entries.map((e) => ({ action: e.action }));
      expect(await send('applyBackupImport', { savedAt: await savedAt(), previewed })).toEqual({
        added: 1,
        updated: 0,
        skipped: 0,
      });
      expect(await savedProject('Old')).toEqual({ key: OLD_KEY, secret: OLD_SECRET });
      expect(await savedProject('Live')).toEqual({ key: KEY, secret: '' });
    });

    it('a sealed backup opens with the session key; while locked it is refused and nothing changes', async () => {
      await startWithPlainBackup();
      await send('enableLock', { passphrase: PASS, backups: 'seal' });
      await send('lockNow', {});
      const before = allLocal();
      expect(await failure(send('previewBackupImport', { savedAt: await savedAt() }))).toEqual({
        code: 'locked',
        message: 'Keys are locked. Unlock with your passphrase first.',
      });
      expect(await failure(send('applyBackupImport', { savedAt: await savedAt() }))).toMatchObject({ code: 'locked' });
      expect(allLocal()).toBe(before);
      await send('unlock', { passphrase: PASS });
      expect(await send('applyBackupImport', { savedAt: await savedAt() })).toMatchObject({ added: 1 });
      expect(await savedProject('Old')).toEqual({ key: OLD_KEY, secret: OLD_SECRET });
      expectNoPlaintext();
    });

    it('a copy made while locked gets its keys back from its own lock', async () => {
      await start();
      const { id } = await send('saveProject', { name: 'Live', key: KEY, secret: '', authMode: 'header' });
      await send('setActiveProject', { id });
      await send('enableLock', { passphrase: PASS });
      const doc = structuredClone(fake.local.get(STATE_STORAGE_KEY)) as KeyringState;
      await fake.storage.local.set({ [STATE_STORAGE_KEY]: { ...doc, nextRuleSlot: 0 } }); // damaged, keys still sealed
      fake.session.clear(); // locked, as after a browser restart
      await settle();
      expect(await send('resetDamagedState', {})).toMatchObject({ sealed: false });
      await send('unlock', { passphrase: PASS });
      expect(await send('applyBackupImport', { savedAt: await savedAt() })).toMatchObject({ added: 1 });
      expect(await savedProject('Live')).toEqual({ key: KEY, secret: '' });
    });

    it('an unknown backup is refused', async () => {
      await startWithPlainBackup();
      expect(await failure(send('previewBackupImport', { savedAt: 5 }))).toEqual({
        code: 'not-found',
        message: 'That backup is no longer there.',
      });
    });
  });

  it('deleteBackup removes exactly that backup; an unknown one is refused', async () => {
    await startWithPlainBackup();
    expect(await failure(send('deleteBackup', { savedAt: 5 }))).toEqual({
      code: 'not-found',
      message: 'That backup is no longer there.',
    });
    expect(backupKeys()).toHaveLength(1);
    await send('deleteBackup', { savedAt: env.time });
    expect(backupKeys()).toEqual([]);
    expect(allLocal()).not.toContain(OLD_KEY);
  });
});
