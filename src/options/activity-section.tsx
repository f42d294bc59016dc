/**
 * "Activity": the recorded OS API requests of this browser session, newest first, as a
 * DevTools-style grid: one fixed-height line per request (the path takes the free width and ends
 * in an ellipsis, its full value on hover and in the details), a text filter and the four
 * dropdown filters, the extension's own requests hidden unless asked for, repeated failures
 * grouped into one line, a details drawer for the selected request (explanation, credential,
 * Copy as curl), arrow-key navigation, and only the lines in view drawn (the log holds 3,000).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { activityToCsv } from '../core/activity-log';
import { dayKey } from '../core/calendar';
import type { ActivityRow } from '../core/monitoring';
import { OS_API_HOST } from '../core/os-api';
import { ActionMessages, messageOf } from '../ui/action-messages';
import { downloadText } from './download-file';
import { ActivityFilters } from './activity-filters';
import { GridHead, GridRow, RequestDetails } from './activity-rows';
import type { KeyringClient } from '../ui/keyring-client';
import {
  type ActivityFilter,
  type GridItem,
  NO_FILTER,
  filterChoices,
  groupRepeats,
  isOwnRequest,
  matches,
  pathWithoutKey,
  tabLabel,
  textFilter,
} from './activity-format';

interface Props {
  client: KeyringClient;
  rows: ActivityRow[];
  /** Whether requests are being recorded (the Record activity setting). */
  recording: boolean;
  /** Load the rows again (after Clear). */
  onChanged: () => unknown;
  /** Titles of open tabs the extension may see, by tab id. */
  tabTitles?: ReadonlyMap<number, string>;
}

/** Height of one grid line in px (CSS: table.activity td). Fixed, so the visible window is arithmetic. */
export const ROW_HEIGHT = 25;
/** Lines drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 10;
/** Visible height assumed before the grid is measured (and where nothing is laid out, as in tests). */
const DEFAULT_VIEWPORT = 600;

const NO_TITLES: ReadonlyMap<number, string> = new Map();

export function ActivitySection({ client, rows, recording, onChanged, tabTitles = NO_TITLES }: Props) {
  const [filter, setFilter] = useState<ActivityFilter>(NO_FILTER);
  const [query, setQuery] = useState('');
  const [showOwn, setShowOwn] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(DEFAULT_VIEWPORT);
  const scroller = useRef<HTMLDivElement>(null);
  const focusSelected = useRef(false);

  const choices = useMemo(() => filterChoices(rows), [rows]);
  const own = useMemo(() => rows.filter(isOwnRequest).length, [rows]);
  const shown = useMemo(() => {
    const byText = textFilter(query);
    return rows.filter((r) => (showOwn || !isOwnRequest(r)) && matches(r, filter) && byText(r));
  }, [rows, filter, query, showOwn]);
  const items = useMemo(() => groupRepeats(shown, expanded), [shown, expanded]);
  const keyOf = (item: GridItem) => (item.kind === 'group' ? item.key : `r${item.row.seq}`);
  const selectedIndex = selected === null ? -1 : items.findIndex((item) => keyOf(item) === selected);
  const selectedItem = selectedIndex >= 0 ? items[selectedIndex] : undefined;
  const detail =
    selectedItem?.kind === 'row' ? selectedItem.row : selectedItem?.kind === 'group' ? selectedItem.rows[0] : undefined;

  // The visible window: only these lines are in the DOM.
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const drawn = items.slice(first, last);
  // With the details drawer open, Tab and Initiator (both in the drawer) give their width to Path.
  const columns = detail ? 7 : 9;

  useEffect(() => {
    const el = scroller.current;
    if (!el) return undefined;
    const measure = () => setViewport(el.clientHeight || DEFAULT_VIEWPORT);
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(el);
    return () => observer?.disconnect();
  }, [rows.length > 0]);

  // After a keyboard move, keep the selected line in view and focused.
  useLayoutEffect(() => {
    if (!focusSelected.current || selectedIndex < 0) return;
    const el = scroller.current;
    if (el) {
      const top = selectedIndex * ROW_HEIGHT;
      const header = ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT + header > el.scrollTop + el.clientHeight)
        el.scrollTop = top + ROW_HEIGHT + header - el.clientHeight;
      setScrollTop(el.scrollTop);
    }
    document.getElementById(`activity-${selected}`)?.focus();
    focusSelected.current = false;
  });

  async function act(action: () => string | Promise<string>, failure = '') {
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
    } catch (err) {
      setError(failure + messageOf(err));
    }
  }

  const exportCsv = () =>
    act(() => {
      const name = `os-api-activity-${dayKey(Date.now(), -new Date().getTimezoneOffset())}.csv`;
      downloadText(name, activityToCsv(shown), 'text/csv');
      return `Exported ${shown.length} request${shown.length === 1 ? '' : 's'} to ${name}.`;
    });

  const clear = () =>
    act(async () => {
      await client.send('clearActivity', {});
      setSelected(null);
      await onChanged();
      return 'Activity cleared.';
    });

  const copyCurl = (row: ActivityRow) =>
    act(async () => {
      // The row's own project when it had one (a pinned tab may have used another than the active one).
      const { command } = await client.send('copyCurlCommand', {
        url: `https://${OS_API_HOST}${pathWithoutKey(row.path)}`,
        ...(row.projectId ? { projectId: row.projectId } : {}),
      });
      await navigator.clipboard.writeText(command);
      return 'Copied a curl command with the project’s credential: treat it as a secret.';
    }, 'Could not copy: ');

  // Stable across renders, so an unchanged GridRow is not drawn again.
  const toggleGroup = useCallback((key: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  function onGridKey(event: KeyboardEvent) {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    if (event.key in moves) {
      event.preventDefault();
      const from = selectedIndex < 0 ? -1 : selectedIndex;
      const to = Math.min(items.length - 1, Math.max(0, from + moves[event.key]!));
      const item = items[to];
      if (item) {
        focusSelected.current = true;
        setSelected(keyOf(item));
      }
    } else if ((event.key === 'Enter' || event.key === ' ') && selectedItem?.kind === 'group') {
      event.preventDefault();
      focusSelected.current = true;
      toggleGroup(selectedItem.key);
    } else if (event.key === 'Escape' && selected !== null) {
      event.preventDefault();
      setSelected(null);
    }
  }

  const filtered = shown.length !== rows.length;
  return (
    <section aria-labelledby="activity-title" class="page">
      <div class="page-head">
        <h2 id="activity-title">Activity</h2>
        <div class="actions">
          <button type="button" onClick={() => void exportCsv()} disabled={shown.length === 0}>
            Export CSV
          </button>
          <button type="button" class="danger" onClick={() => void clear()} disabled={rows.length === 0}>
            Clear activity
          </button>
        </div>
      </div>
      <p class="hint">
        Requests to api.os.uk in this browser session, newest first, with the key redacted. The list refreshes every 2
        seconds while this page is visible.
      </p>
      {!recording && (
        <p class="hint warning">
          Recording is off: new requests are not listed. Turn on Record activity under Settings.
        </p>
      )}
      <ActivityFilters
        query={query}
        onQuery={setQuery}
        filter={filter}
        onFilter={setFilter}
        choices={choices}
        tabTitles={tabTitles}
        showOwn={showOwn}
        onShowOwn={setShowOwn}
        own={own}
      />
      <p class="hint" id="activity-query-hint">
        Words match the path; <code>status:4xx</code>, <code>status:401</code>, <code>status:failed</code>,{' '}
        <code>api:places</code>, <code>project:name</code> and <code>method:post</code> match those columns;{' '}
        <code>-</code> before a term excludes it.
      </p>
      <ActionMessages error={error} status={status} />
      <p class="hint" id="activity-count" aria-live="polite">
        {`Showing ${shown.length} of ${rows.length} request${rows.length === 1 ? '' : 's'}.`}
        {!showOwn && own > 0 && ` ${own} made by the extension itself (tokens, Check access) are hidden.`}
        {filtered && shown.length === 0 && ' Nothing matches the filters.'}
      </p>
      {rows.length === 0 ? (
        <div class="empty-state">
          <p>
            <strong>No requests yet.</strong> Open an OS API URL in a tab (for example{' '}
            <code>https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png</code>), or load a web map from localhost,
            and each request to api.os.uk shows here with the credential that went with it.
          </p>
          <p class="hint">
            No OS Data Hub account? Run <code>npm run demo</code> in the extension’s repository: it opens a browser with
            a demo project against a local mock of api.os.uk and its example maps.
          </p>
        </div>
      ) : (
        <div class={detail ? 'activity-layout with-drawer' : 'activity-layout'}>
          <div
            class="grid-scroll"
            ref={scroller}
            onScroll={(e) => {
              const top = e.currentTarget.scrollTop;
              requestAnimationFrame(() => setScrollTop(top));
            }}
          >
            <table
              class="activity"
              role="grid"
              aria-labelledby="activity-title"
              aria-describedby="activity-count"
              aria-rowcount={items.length + 1}
              onKeyDown={onGridKey}
            >
              <GridHead narrow={!!detail} />
              <tbody>
                {first > 0 && (
                  <tr class="spacer" aria-hidden="true">
                    <td colSpan={columns} style={{ height: `${first * ROW_HEIGHT}px` }} />
                  </tr>
                )}
                {drawn.map((item, i) => {
                  const key = keyOf(item);
                  const r = item.kind === 'row' ? item.row : item.rows[0]!;
                  const isSelected = key === selected;
                  return (
                    <GridRow
                      key={key}
                      id={key}
                      item={item}
                      index={first + i}
                      selected={isSelected}
                      tabbable={isSelected || (selectedIndex < 0 && first + i === 0)}
                      expanded={item.kind === 'group' ? expanded.has(item.key) : undefined}
                      tab={detail ? null : tabLabel(r, tabTitles)}
                      onSelect={setSelected}
                      onToggle={toggleGroup}
                    />
                  );
                })}
                {last < items.length && (
                  <tr class="spacer" aria-hidden="true">
                    <td colSpan={columns} style={{ height: `${(items.length - last) * ROW_HEIGHT}px` }} />
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {detail && selectedItem && (
            <RequestDetails
              row={detail}
              repeats={selectedItem.kind === 'group' ? selectedItem.rows.length : 1}
              expanded={selectedItem.kind === 'group' ? expanded.has(selectedItem.key) : null}
              onToggleGroup={() => selectedItem.kind === 'group' && toggleGroup(selectedItem.key)}
              tab={tabLabel(detail, tabTitles)}
              onCopy={() => void copyCurl(detail)}
              onClose={() => {
                setSelected(null);
                scroller.current?.querySelector<HTMLElement>('tr.row')?.focus();
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}
