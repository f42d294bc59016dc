/**
 * The panel's details of one request: URL, credential, OS's reason for a failure, query, headers
 * (with the one the extension added, masked), timing and the response body, redacted.
 */
import { useEffect, useState } from 'preact/hooks';
import { prettyBody, redactBody, type PanelRow, type RowCredential } from '../core/devtools-entry';
import type { FailureExplanation } from '../core/explain-failure';
import { AUTH_MODE_LABELS } from '../core/project';
import { NONE_REASON_LABELS } from '../ui/monitoring-text';

/** A finished request as DevTools hands it over: a HAR entry that can read its body. */
type ContentReader = (cb: (content: string | null, encoding: string) => void) => void;

export interface Item {
  row: PanelRow;
  credential: RowCredential;
  /** Set for failures once the body has been read. */
  reason: FailureExplanation | null;
  /** The failure's body, redacted (kept to re-explain once the credential is known). */
  body?: string;
}

export function credentialText(c: RowCredential, recording: boolean): string {
  if (!c) return recording ? '…' : 'Not recorded (Record activity is off)';
  if ('mode' in c) return `${c.projectName} (${AUTH_MODE_LABELS[c.mode]})`;
  return `None: ${NONE_REASON_LABELS[c.reasonNone]}`;
}

export function Details({
  item,
  recording,
  read,
  onClose,
  copy,
}: {
  item: Item;
  recording: boolean;
  read: ContentReader | undefined;
  onClose: () => void;
  copy: (what: 'curl' | 'fetch') => Promise<void>;
}) {
  const { row } = item;
  const [body, setBody] = useState<{ text: string; image?: string } | null>(null);
  useEffect(() => {
    setBody(null);
    if (!read) return;
    read((content, encoding) => {
      if (typeof content !== 'string') {
        setBody({ text: '' });
        return;
      }
      if (row.mimeType.startsWith('image/') && encoding === 'base64') {
        setBody({ text: '', image: `data:${row.mimeType};base64,${content}` });
        return;
      }
      setBody({ text: prettyBody(redactBody(content), row.mimeType) });
    });
  }, [row.id]);
  const pairs = (title: string, list: [string, string | number][]) => (
    <section>
      <h3>{title}</h3>
      {list.length ? (
        <table class="pairs">
          <tbody>
            {list.map(([k, v], i) => (
              <tr key={i}>
                <th scope="row">{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">None</p>
      )}
    </section>
  );
  return (
    <aside class="details" aria-label="Request details">
      <div class="details-bar">
        <button type="button" onClick={() => void copy('curl')}>
          Copy as curl
        </button>
        <button type="button" onClick={() => void copy('fetch')}>
          Copy as fetch
        </button>
        <button type="button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </div>
      <p class="url mono">{row.url}</p>
      <p>
        {row.method} · {row.status} {row.statusText} · {credentialText(item.credential, recording)}
      </p>
      {item.reason && (
        <p class="reason-box">
          <strong>{item.reason.title}</strong>: {item.reason.detail} <em>{item.reason.action}</em>
        </p>
      )}
      {pairs('Query parameters', row.query)}
      {pairs('Request headers', [...row.requestHeaders, ...addedHeader(item)])}
      {pairs('Response headers', row.responseHeaders)}
      {pairs(
        'Timing (ms)',
        row.timings.map(([k, v]) => [k, Math.round(v)]),
      )}
      <section>
        <h3>Response</h3>
        {body?.image ? (
          <img class="preview" src={body.image} alt={`Tile preview: ${row.path}`} />
        ) : (
          <pre class="body">{body ? body.text || '(empty)' : read ? 'Loading…' : '(not available)'}</pre>
        )}
      </section>
    </aside>
  );
}

/**
 * The credential header the extension added, masked, when DevTools' list lacks it (Chrome's HAR
 * shows the headers the page set; the extension's are added later in the network stack).
 */
function addedHeader({ row, credential }: Item): [string, string][] {
  if (!credential || !('mode' in credential) || credential.mode === 'query') return [];
  const name = credential.mode === 'oauth' ? 'Authorization' : 'key';
  if (row.requestHeaders.some(([n]) => n.toLowerCase() === name.toLowerCase())) return [];
  return [[`${name} (added by the extension)`, credential.mode === 'oauth' ? 'Bearer …redacted…' : '…redacted…']];
}
