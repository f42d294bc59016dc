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
  reasonFromBody,
  redactBody,
  rowFromHar,
  sizeText,
  withoutKey,
  type HarEntry,
  type LoggedRequest,
} from '../core/devtools-entry';
import type { MessageMap, MessageName } from '../core/messages';
import type { BrowserApi } from '../lib/browser-api';
import { sendMessage } from '../lib/messaging';
import { credentialText, Details, type Item } from './request-details';
import { TabHeader } from './tab-header';

export { credentialText } from './request-details';

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

const isFailure = (status: number) => status === 0 || status >= 400;

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
