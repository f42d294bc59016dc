/**
 * Typed messaging, the background's side: every incoming message is parsed with its schema and
 * must come from one of the extension's own pages; handlers are an object keyed by message name.
 */
import type { Envelope, MessageMap, MessageName } from '../core/messages';
import { parseMessage } from '../core/message-schemas';
import type { BrowserApi, MessageSender } from './browser-api';
import { MessageFailure } from './messaging';

export type Handlers = { [N in MessageName]: (args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']> };

/** Only our own extension pages may talk to the background (no content scripts exist; web pages cannot). */
export function isOwnPage(sender: MessageSender, runtime: BrowserApi['runtime']): boolean {
  if (sender.id !== runtime.id) return false;
  // Compare strings: `new URL('chrome-extension://…').origin` is "null" outside Chromium.
  const base = runtime.getURL('/');
  if (sender.origin !== undefined) return sender.origin === base.replace(/\/+$/, '');
  return sender.url !== undefined && sender.url.startsWith(base);
}

/** Register the handler map on `runtime.onMessage`. */
export function handleMessages(runtime: BrowserApi['runtime'], handlers: Handlers): void {
  runtime.onMessage.addListener((raw, sender) => {
    const parsed = parseMessage(raw);
    if (parsed === null) return undefined;
    if (!isOwnPage(sender, runtime)) {
      return Promise.resolve<Envelope<never>>({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    }
    if ('error' in parsed) return Promise.resolve<Envelope<never>>({ ok: false, error: { code: 'bad-message', message: parsed.error } });
    const handler = handlers[parsed.type] as (args: unknown) => Promise<unknown>;
    return handler(parsed.args).then(
      (value): Envelope<unknown> => ({ ok: true, value }),
      (err: unknown): Envelope<unknown> =>
        err instanceof MessageFailure
          ? { ok: false, error: err.detail }
          : { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : 'Unexpected error.' } },
    );
  });
}

