/**
 * The in-tab viewer for OS API responses (issue 18), mounted by content.ts over a plain-text
 * document from api.os.uk. It renders into a shadow root of its own (the page's styles and ours
 * stay apart) and never puts a key in the DOM: the URL is shown with `key` redacted, "Copy as
 * curl" goes straight to the clipboard, and "Copy as fetch" has no key at all. It talks to the
 * background only through the schema-checked messages (viewerContext, copyCurlCommand).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { sentAs } from '../core/credential';
import { explainFailure, type FailureExplanation } from '../core/explain-failure';
import type { ViewerContext } from '../core/messages';
import { classifyOsApiRequest, redactUrl } from '../core/os-api-classify';
import { AUTH_MODE_LABELS } from '../core/project';
import { fetchSnippet, prettyXml, redactKeysInText, sniffDocument, type ViewerDocument } from '../core/viewer-document';
import { featuresOf, pagingOf, type FeatureSet } from '../core/viewer-features';
import { sendMessage } from '../lib/messaging';
import { JsonTree } from './json-tree';
import { MapPanel } from './map-panel';
import { formatBytes, hasKeyParam, navigationTiming, parseXml } from './page-facts';
import viewerCss from './viewer.css?inline';

const ext: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;
const runtime = { sendMessage: (m: unknown) => ext.runtime.sendMessage<unknown, unknown>(m) };

type Tab = 'map' | 'tree' | 'raw';

export function Viewer({ text, url, shadow }: { text: string; url: string; shadow: ShadowRoot }) {
  const [doc] = useState<ViewerDocument>(() => sniffDocument(text));
  const [features] = useState<FeatureSet | null>(() => (doc.kind === 'json' ? featuresOf(doc.value, url) : null));
  const [tab, setTab] = useState<Tab>(features ? 'map' : 'tree');
  const [context, setContext] = useState<ViewerContext | null>(null);
  const [contextError, setContextError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timing = useState(navigationTiming)[0];
  const api = classifyOsApiRequest(url);
  const paging = doc.kind === 'json' ? pagingOf(doc.value, url) : {};
  const queryMode = hasKeyParam(url);

  useEffect(() => {
    let cancelled = false;
    // The activity log records the request when it completes, which may be a moment after the
    // document is parsed: ask again once if it had not been recorded yet.
    const ask = async (retry: boolean) => {
      try {
        const c = await sendMessage(runtime, 'viewerContext', {});
        if (cancelled) return;
        if (c.source === 'current' && retry) return void setTimeout(() => void ask(false), 400);
        setContext(c);
      } catch (err) {
        if (!cancelled) setContextError(err instanceof Error ? err.message : String(err));
      }
    };
    void ask(true);
    return () => {
      cancelled = true;
    };
  }, []);

  const status = context?.status ?? timing.status;
  const explanation: FailureExplanation | null =
    status !== null && status >= 400
      ? explainFailure({
          status,
          body: text,
          api: api.api,
          credential: context?.project ? sentAs(context.project.authMode) : queryMode ? 'query' : 'none',
          url,
        })
      : null;

  async function copyText(what: string, value: string) {
    setNote(null);
    setError(null);
    try {
      await navigator.clipboard.writeText(value);
      setNote(`Copied the ${what}.`);
    } catch (err) {
      setError(`Could not copy the ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function copyCurl() {
    setNote(null);
    setError(null);
    try {
      const { command } = await sendMessage(runtime, 'copyCurlCommand', {
        url,
        ...(context?.project ? { projectId: context.project.id } : {}),
      });
      await navigator.clipboard.writeText(command);
      setNote('Copied a curl command. It contains the credential: treat it as a secret.');
    } catch (err) {
      setError(`Could not copy as curl: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const carried = context?.project
    ? `${context.project.name} (${AUTH_MODE_LABELS[context.project.authMode]})${context.source === 'current' ? ', the tab’s current project' : ''}`
    : context
      ? 'No project (nothing attached)'
      : contextError
        ? 'Unknown'
        : '…';
  const time = context?.durationMs ?? timing.ms;
  const bytes = timing.bytes ?? new TextEncoder().encode(text).length;
  const kindLabel =
    doc.kind === 'json'
      ? features?.source === 'GeoJSON features'
        ? 'GeoJSON'
        : 'JSON'
      : doc.kind === 'xml'
        ? 'XML'
        : 'Text';

  return (
    <div class="viewer">
      <header class="bar">
        <h1>{api.label}</h1>
        <dl class="facts">
          <div>
            <dt>Project</dt>
            <dd data-fact="project">{carried}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd data-fact="status" class={status !== null && status >= 400 ? 'bad' : undefined}>
              {status ?? '–'}
            </dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd data-fact="size">
              {formatBytes(bytes)} {kindLabel}
            </dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd data-fact="time">{time !== null ? `${time} ms` : '–'}</dd>
          </div>
        </dl>
        <div class="actions">
          <button type="button" onClick={() => void copyCurl()}>
            Copy as curl
          </button>
          <button type="button" onClick={() => void copyText('fetch code (no key)', fetchSnippet(url, doc.kind))}>
            Copy as fetch
          </button>
        </div>
        <p class="url">
          <code data-testid="viewer-url">{redactUrl(url)}</code>
        </p>
        {queryMode && (
          <p class="warning" role="note">
            The key is in the address bar (Key query parameter mode): the viewer hides it here, but the address bar,
            history and any shared link show it.
          </p>
        )}
        <div aria-live="polite" class="messages">
          {note && <p class="note">{note}</p>}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </div>
      </header>

      {explanation && (
        <section class="explanation" role="alert" aria-labelledby="explanation-title">
          <h2 id="explanation-title">{explanation.title}</h2>
          <p>{explanation.detail}</p>
          <p>
            <strong>What to do:</strong> {explanation.action}
          </p>
        </section>
      )}

      {(paging.next || paging.prev || paging.summary) && (
        <nav class="paging" aria-label="Pages">
          {paging.summary && <span data-testid="page-summary">{paging.summary}</span>}
          <button type="button" disabled={!paging.prev} onClick={() => paging.prev && location.assign(paging.prev)}>
            Previous page
          </button>
          <button type="button" disabled={!paging.next} onClick={() => paging.next && location.assign(paging.next)}>
            Next page
          </button>
        </nav>
      )}

      <div role="tablist" aria-label="Views" class="tabs">
        {features && <TabButton id="map" label={`Map (${features.features.length})`} tab={tab} setTab={setTab} />}
        {doc.kind !== 'text' && (
          <TabButton id="tree" label={doc.kind === 'xml' ? 'XML' : 'Tree'} tab={tab} setTab={setTab} />
        )}
        <TabButton id="raw" label="Raw" tab={tab} setTab={setTab} />
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel">
        {tab === 'map' && features && <MapPanel set={features} shadow={shadow} />}
        {tab === 'tree' && doc.kind === 'json' && (
          <JsonTree value={doc.value} onCopy={(what, v) => void copyText(what, v)} />
        )}
        {tab === 'tree' && doc.kind === 'xml' && <pre class="raw">{prettyXml(doc.text, parseXml)}</pre>}
        {tab === 'raw' && <pre class="raw">{text}</pre>}
      </div>
    </div>
  );
}

function TabButton({ id, label, tab, setTab }: { id: Tab; label: string; tab: Tab; setTab: (t: Tab) => void }) {
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${id}`}
      aria-selected={tab === id}
      aria-controls={`panel-${id}`}
      onClick={() => setTab(id)}
    >
      {label}
    </button>
  );
}

/** Take over the document: the original <pre> is hidden (the Raw tab shows the same text). */
export function mountViewer(body: string): void {
  if (document.getElementById('os-api-keyring-viewer')) return;
  // OS echoes a query-parameter key into the links it returns: no key stays in the page.
  const text = redactKeysInText(body);
  const pre = document.body.querySelector('pre');
  if (pre && pre.textContent !== text) pre.textContent = text;
  const host = document.createElement('div');
  host.id = 'os-api-keyring-viewer';
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = viewerCss;
  const root = document.createElement('div');
  shadow.append(style, root);
  for (const child of [...document.body.children]) (child as HTMLElement).hidden = true;
  document.body.append(host);
  document.body.classList.add('os-api-keyring-viewer');
  // Strip the key from the title too (the browser shows the URL as a plain-text document's title).
  document.title = `${classifyOsApiRequest(location.href).label}: ${redactUrl(location.pathname + location.search)}`;
  render(<Viewer text={text} url={location.href} shadow={shadow} />, root);
}
