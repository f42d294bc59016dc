/**
 * The DevTools "OS API" panel (issue 17): the inspected tab's api.os.uk requests with the
 * credential each carried (from the activity log, which reads it from what was sent) and OS's own
 * reason for a failure (read from the response body with core's explanations).
 *
 * Secrets: every HAR entry is redacted by `rowFromHar` before it is kept; bodies by `redactBody`.
 * The raw entry is held only as its `getContent` reader, outside the state, to show a body on
 * demand. Copy as curl asks the background for the command on an explicit click and puts it on
 * the clipboard without showing it; Copy as fetch has no key at all.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  fetchSnippet,
  matchActivity,
  matchesFilter,
  prettyBody,
  reasonFromBody,
  redactBody,
  rowFromHar,
  sizeText,
  withoutKey,
  type HarEntry,
  type LoggedRequest,
  type PanelRow,
  type RowCredential,
} from '../core/devtools-entry';
import type { FailureExplanation } from '../core/explain-failure';
import type { MessageMap, MessageName, PopupState } from '../core/messages';
import { AUTH_MODE_LABELS } from '../core/project';
import type { BrowserApi } from '../lib/browser-api';
import { sendMessage } from '../lib/messaging';
import { NONE_REASON_LABELS } from '../ui/monitoring-text';

/** A finished request as DevTools hands it over: a HAR entry that can read its body. */
export type DevtoolsRequest = HarEntry & {
  getContent?: (cb: (content: string | null, encoding: string) => void) => void;
};

/** What the panel needs from `devtools.*` (a fake in tests). */
export interface DevtoolsSource {
  tabId: number;
  onRequestFinished: {
    addListener(f: (r: DevtoolsRequest) => void): void;
    removeListener(f: (r: DevtoolsRequest) => void): void;
  };
  onNavigated: { addListener(f: (url: string) => void): void; removeListener(f: (url: string) => void): void };
  copy(text: string): boolean;
}

interface Item {
  row: PanelRow;
  credential: RowCredential;
  /** Set for failures once the body has been read. */
  reason: FailureExplanation | null;
  /** The failure's body, redacted (kept to re-explain once the credential is known). */
  body?: string;
}

const isFailure = (status: number) => status === 0 || status >= 400;

export function credentialText(c: RowCredential, recording: boolean): string {
  if (!c) return recording ? '…' : 'Not recorded (Record activity is off)';
  if ('mode' in c) return `${c.projectName} (${AUTH_MODE_LABELS[c.mode]})`;
  return `None: ${NONE_REASON_LABELS[c.reasonNone]}`;
}

export function Panel({
  source,
  runtime,
}: {
  source: DevtoolsSource;
  runtime: Pick<BrowserApi['runtime'], 'sendMessage'>;
}) {
  const send = <N extends MessageName>(type: N, args: MessageMap[N]['args']) => sendMessage(runtime, type, args);
  const [items, setItems] = useState<Item[]>([]);
  const [filter, setFilter] = useState('');
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [preserve, setPreserve] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [recording, setRecording] = useState(true);
  const [note, setNote] = useState('');
  const readers = useRef(new Map<number, NonNullable<DevtoolsRequest['getContent']>>());
  const nextId = useRef(1);
  const taken = useRef(new Set<number>());
  const arrived = useRef<Item[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const preserveRef = useRef(preserve);
  preserveRef.current = preserve;

  // Listening only while the panel is open: the listeners go with the panel's page.
  useEffect(() => {
    const onFinished = (req: DevtoolsRequest) => {
      const started = Date.parse(req.startedDateTime ?? '');
      const row = rowFromHar(req, nextId.current, Number.isFinite(started) ? started : Date.now());
      if (!row) return;
      nextId.current++;
      if (req.getContent) readers.current.set(row.id, req.getContent.bind(req));
      // One render per batch, not per request: a map page finishes hundreds of tiles a second, and
      // re-rendering the list for each one cost more than everything else the panel does (bench 9).
      arrived.current.push({ row, credential: null, reason: null });
      flushTimer.current ??= setTimeout(() => {
        flushTimer.current = null;
        const batch = arrived.current.splice(0);
        setItems((list) => [...list, ...batch]);
      }, 100);
      if (isFailure(row.status) && req.getContent) {
        req.getContent((content) => {
          const body = typeof content === 'string' ? redactBody(content) : undefined;
          const withBody = (it: Item): Item =>
            it.row.id === row.id
              ? { ...it, ...(body !== undefined ? { body } : {}), reason: reasonFromBody(row, body, it.credential) }
              : it;
          // The row may still be waiting for its batch.
          arrived.current = arrived.current.map(withBody);
          setItems((list) => list.map(withBody));
        });
      }
    };
    const onNavigated = () => {
      if (preserveRef.current) return;
      arrived.current = [];
      readers.current.clear();
      setItems([]);
      setSelected(null);
    };
    source.onRequestFinished.addListener(onFinished);
    source.onNavigated.addListener(onNavigated);
    return () => {
      if (flushTimer.current) clearTimeout(flushTimer.current);
      source.onRequestFinished.removeListener(onFinished);
      source.onNavigated.removeListener(onNavigated);
    };
  }, [source]);

  // The credential column: from the activity log, once it has recorded the requests.
  const pending = items.filter((it) => it.credential === null).length;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      void send('getActivity', { tabId: source.tabId, limit: 1000 })
        .then(({ rows, recording: on }) => {
          setRecording(on);
          const logged: LoggedRequest[] = rows.map((r) => ({
            seq: r.seq,
            time: r.time,
            path: r.path,
            projectId: r.projectId,
            projectName: r.projectName,
            mode: r.mode,
            ...(r.reasonNone ? { reasonNone: r.reasonNone } : {}),
          }));
          setItems((list) => {
            const found = matchActivity(
              list.filter((it) => it.credential === null).map((it) => it.row),
              logged,
              taken.current,
            );
            if (!found.size) return list;
            return list.map((it) => {
              const c = found.get(it.row.id);
              if (!c) return it;
              return {
                ...it,
                credential: c,
                reason: isFailure(it.row.status) ? reasonFromBody(it.row, it.body, c) : null,
              };
            });
          });
        })
        .catch(() => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [pending, items.length]);

  const shown = useMemo(
    () => items.filter((it) => (!failuresOnly || isFailure(it.row.status)) && matchesFilter(it.row, filter)),
    [items, filter, failuresOnly],
  );
  const current = items.find((it) => it.row.id === selected) ?? null;

  return (
    <div class="panel">
      <TabHeader tabId={source.tabId} send={send} />
      <div class="toolbar" role="toolbar" aria-label="Request list">
        <input
          type="search"
          aria-label="Filter"
          placeholder="Filter: path, status:4xx, api:names"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <label>
          <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.currentTarget.checked)} />{' '}
          Failures only
        </label>
        <label>
          <input type="checkbox" checked={preserve} onChange={(e) => setPreserve(e.currentTarget.checked)} /> Preserve
          log
        </label>
        <button
          type="button"
          onClick={() => {
            arrived.current = [];
            readers.current.clear();
            setItems([]);
            setSelected(null);
          }}
        >
          Clear
        </button>
        <span class="count" role="status">
          {shown.length} of {items.length} requests
        </span>
      </div>
      <div class={current ? 'split' : 'split single'}>
        <table class="requests" aria-label="OS API requests">
          <thead>
            <tr>
              <th>Time</th>
              <th>Method</th>
              <th>OS API</th>
              <th class="path">Path</th>
              <th>Status</th>
              <th>Size</th>
              <th>Duration</th>
              <th>Credential</th>
              <th class="reason">OS says</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ row, credential, reason }) => (
              <tr
                key={row.id}
                class={`${isFailure(row.status) ? 'failed' : ''} ${row.id === selected ? 'selected' : ''}`}
                tabIndex={0}
                aria-selected={row.id === selected}
                onClick={() => setSelected(row.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    setSelected(row.id);
                  }
                }}
              >
                <td>{new Date(row.startedAt).toLocaleTimeString('en-GB')}</td>
                <td>{row.method}</td>
                <td>{row.label}</td>
                <td class="path" title={row.path}>
                  {row.path}
                </td>
                <td>{row.status || 'failed'}</td>
                <td>{sizeText(row.size)}</td>
                <td>{row.durationMs} ms</td>
                <td>{credentialText(credential, recording)}</td>
                <td class="reason" title={reason ? `${reason.title}: ${reason.detail}` : ''}>
                  {reason ? `${reason.title}: ${reason.detail}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {current && (
          <Details
            item={current}
            recording={recording}
            read={readers.current.get(current.row.id)}
            onClose={() => setSelected(null)}
            copy={async (what) => {
              try {
                if (what === 'fetch') {
                  setNote(
                    source.copy(fetchSnippet(current.row))
                      ? 'Copied: fetch code with no key (the extension adds it).'
                      : 'Could not copy.',
                  );
                  return;
                }
                const c = current.credential;
                const { command } = await send('copyCurlCommand', {
                  url: withoutKey(current.row.url),
                  ...(c && 'projectId' in c ? { projectId: c.projectId } : {}),
                });
                setNote(
                  source.copy(command)
                    ? 'Copied: curl command with the credential. Treat it as a secret.'
                    : 'Could not copy.',
                );
              } catch (e) {
                setNote(e instanceof Error ? e.message : String(e));
              }
            }}
          />
        )}
      </div>
      <p class="note" role="status" aria-live="polite">
        {note}
      </p>
    </div>
  );
}

function Details({
  item,
  recording,
  read,
  onClose,
  copy,
}: {
  item: Item;
  recording: boolean;
  read: DevtoolsRequest['getContent'];
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

function TabHeader({
  tabId,
  send,
}: {
  tabId: number;
  send: <N extends MessageName>(type: N, args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']>;
}) {
  const [state, setState] = useState<PopupState | null>(null);
  const [usage, setUsage] = useState<{ label: string; count: number; limit: number }[]>([]);
  const [error, setError] = useState('');
  const refresh = async () => {
    try {
      const s = await send('getState', { tab: { id: tabId } });
      setState(s);
      const projectId = s.page?.pin !== undefined ? s.page.pin : s.activeProjectId;
      const m = await send('getMonitoring', {});
      const p = m.projects.find((x) => x.id === projectId);
      setUsage(
        p ? p.usage.filter((u) => u.count > 0).map((u) => ({ label: u.label, count: u.count, limit: u.limit })) : [],
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 2_000);
    return () => clearInterval(timer);
  }, [tabId]);
  if (!state) return <header class="tab-header">{error || 'Loading…'}</header>;
  const pinned = state.page?.pin !== undefined;
  const projectId = pinned ? (state.page?.pin ?? null) : state.activeProjectId;
  /** A pinned tab changes its pin; otherwise the choice is the active project (as in the popup). */
  const choose = async (id: string | null) =>
    act(() => (pinned ? send('pinTab', { tabId, projectId: id }) : send('setActiveProject', { id })));
  /** Unpinning returns the tab to the active project; it never changes the active project. */
  const pin = async (on: boolean) =>
    act(() => (on ? send('pinTab', { tabId, projectId }) : send('unpinTab', { tabId })));
  const act = async (change: () => Promise<unknown>) => {
    try {
      await change();
      await refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <header class="tab-header">
      <label>
        Project for this tab{' '}
        <select
          aria-label="Project for this tab"
          value={projectId ?? ''}
          onChange={(e) => void choose(e.currentTarget.value || null)}
        >
          <option value="">Off</option>
          {state.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({AUTH_MODE_LABELS[p.authMode]})
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={pinned} onChange={(e) => void pin(e.currentTarget.checked)} /> Pin to this tab
      </label>
      <span class="usage" aria-label="Usage in the last minute">
        {usage.length
          ? usage.map((u) => `${u.label}: ${u.count} of ${u.limit} a minute`).join(' · ')
          : 'No requests in the last minute'}
      </span>
      {error && <span role="alert">{error}</span>}
    </header>
  );
}
