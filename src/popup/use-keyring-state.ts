/** Loads the redacted state from the background and reloads it whenever storage changes. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PopupState } from '../core/messages';
import type { KeyringClient } from '../ui/keyring-client';

/** `tab`: the tab the popup acts on, so the state says what applies to its page. */
export function useKeyringState(
  client: KeyringClient,
  tab?: { id: number; url?: string } | null,
): {
  state: PopupState | null;
  /** Popup clock (ms) when `state` arrived. */
  receivedAt: number;
  loadError: string | null;
  reload: () => Promise<void>;
} {
  const [state, setState] = useState<PopupState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [receivedAt, setReceivedAt] = useState(0);
  const reload = useCallback(async () => {
    try {
      const next = await client.send('getState', tab ? { tab } : {});
      setReceivedAt(Date.now());
      setState(next);
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  }, [client, tab]);
  useEffect(() => {
    void reload();
    return client.subscribe(() => void reload());
  }, [client, reload]);
  return { state, loadError, reload, receivedAt };
}
