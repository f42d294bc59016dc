/**
 * The prelude every background test file shares: a fresh fake browser and env before each test, the
 * real background started over them, a typed `send`, and the helpers several files need.
 *
 * `fake` and `env` are live bindings: a test file imports them once and sees the new pair each test
 * (Vitest runs each file in its own module graph, so files never share them).
 *
 *   import { env, fake, freshBackgroundEachTest, send, start } from '../../fakes/background-prelude';
 *   freshBackgroundEachTest();               // or ({ started: true }) to start the background too
 */
import { beforeEach } from 'vitest';
import type { MessageMap, MessageName } from '../../src/core/messages';
import type { DnrRule } from '../../src/core/dnr-rule';
import { startBackground, type Background } from '../../src/background/start-background';
import { MessageFailure } from '../../src/lib/messaging';
import { FakeBrowser } from './fake-browser';
import { FakeEnv } from './fake-env';
import { settle } from './settle';

export let fake: FakeBrowser;
export let env: FakeEnv;

/** A fresh browser and env (not started), then whatever `setup` adds, before each test. */
export function freshBackgroundEachTest({ started = false }: { started?: boolean } = {}): void {
  beforeEach(async () => {
    fake = new FakeBrowser();
    env = new FakeEnv();
    if (started) await start();
  });
}

/** Send a message to the background as the popup would; resolves with its typed result. */
export const send = <N extends MessageName>(type: N, args: MessageMap[N]['args']): Promise<MessageMap[N]['result']> =>
  fake.send(type, args);

/** Start the real background over the current fake browser and env, and wait until it is ready. */
export async function start(): Promise<Background> {
  const bg = startBackground(fake, env);
  await bg.ready;
  return bg;
}

/** The error a message failed with (its code and message); fails the test if it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MessageFailure) return err.detail;
    throw err;
  }
  throw new Error('expected a failure');
}

/** Every value the installed header rules set (the `key` or `Authorization` value; undefined for removals). */
export const headerValues = (rules: DnrRule[] = fake.sessionRules): (string | undefined)[] =>
  rules.flatMap((r) => (r.action.type === 'modifyHeaders' ? r.action.requestHeaders.map((h) => h.value) : []));

export { settle };
