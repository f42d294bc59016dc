/** The activity grid's parts: one line of the grid, and the details drawer of the selected request. */
import { Component } from 'preact';
import { OS_API_HOST } from '../core/os-api';
import type { ActivityRow } from '../core/monitoring';
import { failed, statusText } from '../ui/monitoring-text';
import { type GridItem, credentialText, timeText } from './activity-format';

interface GridRowProps {
  /** The line's key (`r<seq>` or `g<seq>`): its element id is `activity-<id>`. */
  id: string;
  item: GridItem;
  /** Position among all lines (0 = newest); aria-rowindex counts the header as 1. */
  index: number;
  selected: boolean;
  /** The one line Tab reaches (roving tabindex). */
  tabbable: boolean;
  expanded: boolean | undefined;
  /** The Tab column's text, or null while the details drawer holds Tab and Initiator. */
  tab: string | null;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}

/**
 * One grid line. Drawn again only when its props change: a scroll then draws just the lines that
 * came into view, and a refresh with nothing new draws none (the profile of a 3,000-row scroll
 * showed every visible line re-rendered on every frame).
 */
export class GridRow extends Component<GridRowProps> {
  override shouldComponentUpdate(next: GridRowProps): boolean {
    const p = this.props;
    return (Object.keys(next) as (keyof GridRowProps)[]).some((k) => p[k] !== next[k]);
  }

  override render({ id, item, index, selected, tabbable, expanded, tab, onSelect, onToggle }: GridRowProps) {
    const r = item.kind === 'row' ? item.row : item.rows[0]!;
    return (
      <tr
        id={`activity-${id}`}
        class={item.kind === 'group' ? 'row group' : item.inGroup ? 'row member' : 'row'}
        aria-rowindex={index + 2}
        aria-selected={selected}
        aria-expanded={expanded}
        tabIndex={tabbable ? 0 : -1}
        title={r.path}
        onClick={() => onSelect(id)}
        onDblClick={() => item.kind === 'group' && onToggle(item.key)}
      >
        <td class="col-time">
          <time dateTime={new Date(r.time).toISOString()}>{timeText(r.time)}</time>
        </td>
        <td>{r.method}</td>
        <td>{r.label}</td>
        <td class="mono path">
          {item.kind === 'row' && item.inGroup ? '↳ ' : ''}
          {r.path}
        </td>
        <td class={failed(r.status) ? 'col-status failed' : 'col-status'}>
          {statusText(r.status)}
          {item.kind === 'group' && <span class="count">{`×${item.rows.length}`}</span>}
        </td>
        <td class="col-duration">{r.durationMs === null ? '–' : `${Math.round(r.durationMs)} ms`}</td>
        <td>{credentialText(r)}</td>
        {tab !== null && <td>{tab}</td>}
        {tab !== null && <td class="mono">{r.initiator || '–'}</td>}
      </tr>
    );
  }
}

export function RequestDetails(props: {
  row: ActivityRow;
  repeats: number;
  expanded: boolean | null;
  tab: string;
  onToggleGroup: () => void;
  onCopy: () => void;
  onClose: () => void;
}) {
  const { row } = props;
  return (
    <section class="drawer" aria-label="Request details">
      <h3 class="mono">
        {row.method} {row.path}
      </h3>
      {row.explanation && (
        <div class="explanation">
          <p>
            <strong>{row.explanation.title}:</strong> {row.explanation.detail}
          </p>
          <p>What to do: {row.explanation.action}</p>
        </div>
      )}
      {props.repeats > 1 && (
        <p class="hint">
          {`The same failure ${props.repeats} times in a row; the newest is shown. `}
          <button type="button" class="link" aria-expanded={props.expanded ?? false} onClick={props.onToggleGroup}>
            {props.expanded ? 'Hide each request' : 'List each request'}
          </button>
        </p>
      )}
      <dl>
        <dt>Time</dt>
        <dd>{new Date(row.time).toLocaleString('en-GB')}</dd>
        <dt>API</dt>
        <dd>{row.label}</dd>
        <dt>Status</dt>
        <dd>{statusText(row.status)}</dd>
        <dt>Duration</dt>
        <dd>{row.durationMs === null ? 'Not recorded' : `${Math.round(row.durationMs)} ms`}</dd>
        <dt>Credential</dt>
        <dd>{credentialText(row)}</dd>
        <dt>Tab</dt>
        <dd>{props.tab}</dd>
        <dt>Initiator</dt>
        <dd class="mono">{row.initiator || '–'}</dd>
        <dt>URL</dt>
        <dd class="mono">{`https://${OS_API_HOST}${row.path}`}</dd>
      </dl>
      <div class="actions">
        {row.api !== 'oauth' && (
          <button type="button" class="primary" onClick={props.onCopy}>
            Copy as curl
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </section>
  );
}

/** The grid's columns and header row; `narrow` (the details drawer is open): Tab and Initiator are in the drawer. */
export function GridHead({ narrow }: { narrow: boolean }) {
  return (
    <>
      <colgroup>
        <col class="col-time" />
        <col class="col-method" />
        <col class="col-api" />
        <col />
        <col class="col-status" />
        <col class="col-duration" />
        <col class="col-credential" />
        {!narrow && <col class="col-tab" />}
        {!narrow && <col class="col-initiator" />}
      </colgroup>
      <thead>
        <tr aria-rowindex={1}>
          <th scope="col">Time</th>
          <th scope="col">Method</th>
          <th scope="col">API</th>
          <th scope="col">Path</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Credential</th>
          {!narrow && <th scope="col">Tab</th>}
          {!narrow && <th scope="col">Initiator</th>}
        </tr>
      </thead>
    </>
  );
}
