/**
 * "Response viewer" on/off (issue 18), self-contained so any page layout can host it: it loads and
 * saves only its own field of the settings.
 */
import { useState } from 'preact/hooks';
import { ActionMessages, messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';

/** `viewer` is the saved setting (null until loaded); `onChanged` reloads the page's settings. */
export function ViewerSetting({
  client,
  viewer,
  onChanged,
}: {
  client: KeyringClient;
  viewer: boolean | null;
  onChanged: () => unknown;
}) {
  const [pending, setPending] = useState<boolean | null>(null);
  const on = pending ?? viewer;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function save(next: boolean) {
    setBusy(true);
    setError(null);
    setStatus(null);
    setPending(next);
    try {
      const saved = await client.send('saveSettings', { viewer: next });
      await onChanged();
      setStatus(
        saved.viewer
          ? 'The response viewer is on for OS API pages opened from now on.'
          : 'The response viewer is off: the browser shows OS API responses itself.',
      );
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPending(null);
      setBusy(false);
    }
  }

  return (
    <div class="choice" data-setting="viewer">
      <input
        type="checkbox"
        id="viewer-setting"
        checked={on ?? false}
        disabled={on === null || busy}
        aria-describedby="viewer-setting-hint"
        onChange={(e) => void save(e.currentTarget.checked)}
      />{' '}
      <label for="viewer-setting">Response viewer</label>
      <p class="hint" id="viewer-setting-hint">
        Show OS API responses opened in a tab (NGD Features, Features API, Names, Places) with a searchable tree and
        their features on an OS map. Off, the browser shows them as it always does.
      </p>
      <ActionMessages error={error} status={status} />
    </div>
  );
}
