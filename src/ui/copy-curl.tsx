/**
 * "Copy as curl": puts a ready curl command for an OS API URL on the clipboard, with the active
 * project's credential attached as the extension attaches it (key header, key query parameter or
 * OAuth 2 bearer token). The URL field starts with the current tab's address when that is an
 * api.os.uk page; any other https://api.os.uk URL can be pasted. The credential never comes to the
 * popup: the background builds the command on an explicit click, and it is copied, never shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { checkOsApiUrl } from '../core/curl-command';
import type { AuthMode } from '../core/project';
import type { RedactedProject } from '../core/redact';
import type { KeyringClient } from './keyring-client';
import { ActionMessages, messageOf } from './action-messages';

interface Props {
  client: KeyringClient;
  /** The active project; nothing is shown when Off. */
  project: RedactedProject | undefined;
  /** The URL of the tab the popup was opened on, when the browser lets the extension see it. */
  tabUrl?: string | undefined;
}

const SECRET_WORDS: Record<AuthMode, string> = {
  header: 'API key',
  query: 'API key',
  oauth: 'live OAuth 2 token',
};

export function CopyCurl({ client, project, tabUrl }: Props) {
  const [url, setUrl] = useState(() => (tabUrl && checkOsApiUrl(tabUrl).ok ? tabUrl : ''));
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The tab can be known only after the first render; fill the field then, unless typed into.
  useEffect(() => {
    if (tabUrl && checkOsApiUrl(tabUrl).ok) setUrl((current) => current || tabUrl);
  }, [tabUrl]);

  if (!project) return null;

  async function copy() {
    setError(null);
    setNote(null);
    const checked = checkOsApiUrl(url);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setBusy(true);
    try {
      const { command } = await client.send('copyCurlCommand', { url: checked.url });
      await navigator.clipboard.writeText(command);
      setNote(
        `Copied. The command contains ${project?.name ?? 'the project'}’s ${SECRET_WORDS[project?.authMode ?? 'header']}: treat it as a secret.`,
      );
    } catch (err) {
      setError(`Could not copy: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="copy-curl">
      <summary>Copy as curl</summary>
      <div class="field">
        <label for="curl-url">OS API URL</label>
        <input
          id="curl-url"
          type="url"
          class="mono"
          value={url}
          placeholder="https://api.os.uk/…"
          spellcheck={false}
          autocomplete="off"
          aria-describedby="curl-warning"
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => setUrl(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void copy();
          }}
        />
      </div>
      <p class="hint" id="curl-warning">
        The copied command contains {project.name}’s {SECRET_WORDS[project.authMode]} in plain text. It is a secret: do
        not paste it into chats, tickets, commits or screenshots.
      </p>
      <div class="actions">
        <button type="button" onClick={() => void copy()} disabled={busy}>
          Copy curl command
        </button>
      </div>
      <ActionMessages error={error} status={note} />
    </details>
  );
}
