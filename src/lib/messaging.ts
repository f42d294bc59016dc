/**
 * Typed messaging, the pages' side: `sendMessage` and the error it throws. The background's side
 * (schemas, sender check, handler map) is in message-handler.ts, so the popup does not ship the
 * schema library.
 */
import type { Envelope, MessageError, MessageMap, MessageName, MessageRequest } from '../core/messages';
import type { BrowserApi } from './browser-api';

/** Thrown by handlers to send a structured error to the caller. */
/** An error's message for a sentence shown to the user (a thrown non-Error as text). */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class MessageFailure extends Error {
  constructor(readonly detail: MessageError) {
    super(detail.message);
  }
}

/** Send a typed message; resolves with the result or rejects with a MessageFailure. */
export async function sendMessage<N extends MessageName>(
  runtime: Pick<BrowserApi['runtime'], 'sendMessage'>,
  type: N,
  args: MessageMap[N]['args'],
): Promise<MessageMap[N]['result']> {
  const request: MessageRequest<N> = { channel: 'os-api-keyring', type, args };
  const reply = (await runtime.sendMessage(request)) as Envelope<MessageMap[N]['result']> | undefined;
  if (!reply)
    throw new MessageFailure({
      code: 'no-reply',
      message: 'The background did not answer. Close and reopen the popup.',
    });
  if (!reply.ok) throw new MessageFailure(reply.error);
  return reply.value;
}
