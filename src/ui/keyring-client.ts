/**
 * How the popup talks to the background: typed requests, plus a change signal. The popup never
 * reads storage itself (it would see secrets); on any change to the stored document it asks the
 * background again for the redacted view.
 */
import type { MessageMap, MessageName } from '../core/messages';
import { STORAGE, touches } from '../core/storage-registry';
import type { BrowserApi } from '../lib/browser-api';
import { sendMessage } from '../lib/messaging';

export interface KeyringClient {
  send<N extends MessageName>(type: N, args: MessageMap[N]['args']): Promise<MessageMap[N]['result']>;
  /** Calls `onChange` whenever the stored projects change (from this popup or anywhere else). */
  subscribe(onChange: () => void): () => void;
}

export function createKeyringClient(browser: Pick<BrowserApi, 'runtime' | 'storage'>): KeyringClient {
  return {
    send: (type, args) => sendMessage(browser.runtime, type, args),
    subscribe(onChange) {
      // Token status lives in session storage; project data in local storage.
      const listener = (changes: Record<string, unknown>, area: string) => {
        if (touches(changes, area, STORAGE.state, STORAGE.tokenStatus, STORAGE.tabPins, STORAGE.lockSession))
          onChange();
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}
