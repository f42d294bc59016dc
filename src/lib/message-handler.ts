/**
 * Typed messaging, the background's side: every incoming message is parsed with its schema and
 * must come from one of the extension's own pages; handlers are an object keyed by message name.
 */
import type { Envelope, MessageMap, MessageName } from '../core/messages';
import { parseMessage } from '../core/message-schemas';
import type { BrowserApi, MessageSender } from './browser-api';
import { MessageFailure } from './messaging';

/**
 * Who sent a message: one of the extension's own pages, or the in-tab viewer (the content script
 * on a top-level api.os.uk document, issue 18), with its tab and its document's URL.
 */
export type Caller = { kind: 'page' } | { kind: 'viewer'; tabId: number; url: string };

export type Handlers = {
  [N in MessageName]: (args: MessageMap[N]['args'], caller: Caller) => Promise<MessageMap[N]['result']>;
};

/**
 * What the viewer may ask. Nothing that changes state: its document's context, and "Copy as
 * curl" for its own URL (checked by the handler against `caller.url`).
 */
export const VIEWER_MESSAGES: ReadonlySet<MessageName> = new Set<MessageName>(['viewerContext', 'copyCurlCommand']);

/** Only our own extension pages may talk to the background (web pages cannot; the viewer is handled below). */
export function isOwnPage(sender: MessageSender, runtime: BrowserApi['runtime']): boolean {
  if (sender.id !== runtime.id) return false;
  // Compare strings: `new URL('chrome-extension://…').origin` is "null" outside Chromium.
  const base = runtime.getURL('/');
  if (sender.origin !== undefined) return sender.origin === base.replace(/\/+$/, '');
  return sender.url !== undefined && sender.url.startsWith(base);
}

/**
 * The viewer: our own content script (same extension id), in the top frame of a tab, on an
 * https://api.os.uk document. Browsers set `sender.tab`, `frameId` and `url` themselves; a web
 * page cannot send runtime messages at all (no `externally_connectable`).
 */
export function viewerCaller(sender: MessageSender, runtime: BrowserApi['runtime']): Caller | null {
  if (
    sender.id !== runtime.id ||
    sender.frameId !== 0 ||
    sender.tab?.id === undefined ||
    sender.tab.id < 0 ||
    !sender.url
  )
    return null;
  if (!sender.url.startsWith('https://api.os.uk/')) return null;
  return { kind: 'viewer', tabId: sender.tab.id, url: sender.url };
}

/** Register the handler map on `runtime.onMessage`. */
export function handleMessages(runtime: BrowserApi['runtime'], handlers: Handlers): void {
  runtime.onMessage.addListener((raw, sender) => {
    const parsed = parseMessage(raw);
    if (parsed === null) return undefined;
    const caller: Caller | null = isOwnPage(sender, runtime) ? { kind: 'page' } : viewerCaller(sender, runtime);
    if (!caller || (caller.kind === 'viewer' && 'type' in parsed && !VIEWER_MESSAGES.has(parsed.type))) {
      return Promise.resolve<Envelope<never>>({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    }
    if ('error' in parsed)
      return Promise.resolve<Envelope<never>>({ ok: false, error: { code: 'bad-message', message: parsed.error } });
    const handler = handlers[parsed.type] as (args: unknown, caller: Caller) => Promise<unknown>;
    return handler(parsed.args, caller).then(
      (value): Envelope<unknown> => ({ ok: true, value }),
      (err: unknown): Envelope<unknown> =>
        err instanceof MessageFailure
          ? { ok: false, error: err.detail }
          : {
              ok: false,
              error: { code: 'internal', message: err instanceof Error ? err.message : 'Unexpected error.' },
            },
    );
  });
}
