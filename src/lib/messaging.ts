/**
 * Typed messaging, the pages' side: `sendMessage` and the error it throws. The background's side
 * (schemas, sender check, handler map) is in message-handler.ts, so the popup does not ship the
 * schema library.
 */
import type { Envelope, MessageError, MessageMap, MessageName, MessageRequest } from '../core/messages';
import type { BrowserApi } from './browser-api';

/** Thrown by handlers to send a structured error to the caller. */
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
