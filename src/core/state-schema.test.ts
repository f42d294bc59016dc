import { describe, expect, it } from 'vitest';
import { project, stateWith } from './fixtures.test-helpers';
import { sealSecrets, deriveKey, newSalt } from './secret-box';
import { secretsOf, stripSecrets } from './secret-lock';
import { parseCurrentState } from './state-schema';
import { FAST_ITERATIONS, nodeCrypto } from './webcrypto.test-helpers';

async function lockedState() {
  const plain = stateWith(
    [
      project({ id: 'a', name: 'A' }),
      project({ id: 'b', name: 'B', ruleSlot: 1, authMode: 'oauth', secret: 'SECRET' }),
    ],
    'a',
  );
  const salt = newSalt(nodeCrypto);
  const key = await deriveKey('a passphrase', salt.bytes, FAST_ITERATIONS, nodeCrypto.subtle);
  const lock = await sealSecrets(
    secretsOf(plain.projects),
    key,
    { iterations: FAST_ITERATIONS, salt: salt.base64 },
    nodeCrypto,
  );
  return { ...plain, projects: stripSecrets(plain.projects), lock };
}

describe('stored state with the passphrase lock (schema 4)', () => {
  it('a locked state (blank keys and a lock) is valid', async () => {
    expect(parseCurrentState(await lockedState(), { minIterations: FAST_ITERATIONS })).toMatchObject({ ok: true });
  });

  it('a key in plain text next to a lock is refused', async () => {
    const state = await lockedState();
    state.projects[0] = { ...state.projects[0]!, key: 'PLAINKEY' };
    expect(parseCurrentState(state, { minIterations: FAST_ITERATIONS })).toEqual({
      ok: false,
      error: 'a key is stored in plain text while the lock is on',
    });
  });

  it('a damaged lock is refused, naming the lock but not its contents', async () => {
    const state = await lockedState();
    const result = parseCurrentState(
      { ...state, lock: { ...state.lock, cipher: 'ROT13' } },
      { minIterations: FAST_ITERATIONS },
    );
    expect(result).toEqual({ ok: false, error: 'lock: the stored lock is damaged' });
  });

  it('a lock with fewer iterations than the real count is refused by default', async () => {
    expect(parseCurrentState(await lockedState())).toMatchObject({ ok: false, error: expect.stringMatching(/^lock/) });
  });

  it('without a lock, a blank key is allowed (after "forgot passphrase"), and the lock field is required', () => {
    const state = stateWith([project({ id: 'a', name: 'A', key: '' })]);
    expect(parseCurrentState(state)).toMatchObject({ ok: true });
    expect(parseCurrentState({ ...state, lock: undefined })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^lock/),
    });
  });
});
