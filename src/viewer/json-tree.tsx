/**
 * A collapsible, searchable tree of a JSON value. A row is selected with a click (or Enter/Space
 * on its button); the selected row's path and value can be copied. Searching expands and marks
 * every row whose key or value contains the text.
 */
import { useMemo, useState } from 'preact/hooks';
import { jsonPath } from '../core/viewer-document';

type Seg = string | number;

interface Props {
  value: unknown;
  onCopy: (what: string, text: string) => void;
}

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

function preview(v: unknown): string {
  if (Array.isArray(v)) return `[${v.length}]`;
  if (isContainer(v)) return `{${Object.keys(v).length}}`;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed string, but undefined for undefined and functions
  return JSON.stringify(v) ?? String(v);
}

/** Paths (joined with \u0000) of every node whose key or scalar value contains `term`, and of their ancestors. */
function matchesOf(value: unknown, term: string): { hits: Set<string>; open: Set<string> } {
  const hits = new Set<string>();
  const open = new Set<string>();
  if (!term) return { hits, open };
  const t = term.toLowerCase();
  const walk = (v: unknown, path: Seg[]) => {
    const id = path.join('\u0000');
    const key = path.at(-1);
    const own =
      (key !== undefined && String(key).toLowerCase().includes(t)) ||
      (!isContainer(v) && String(v).toLowerCase().includes(t));
    if (own) {
      hits.add(id);
      for (let i = 0; i < path.length; i++) open.add(path.slice(0, i).join('\u0000'));
    }
    if (isContainer(v))
      for (const [k, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
  };
  walk(value, []);
  return { hits, open };
}

interface TreeCtx {
  hits: Set<string>;
  selected: Seg[] | null;
  isOpen: (id: string, depth: number) => boolean;
  toggle: (id: string, depth: number) => void;
  setSelected: (path: Seg[]) => void;
}

function Node({ v, path, label, ctx }: { v: unknown; path: Seg[]; label: string | null; ctx: TreeCtx }) {
  const { hits, selected, isOpen, toggle, setSelected } = ctx;
  const id = path.join('\u0000');
  const depth = path.length;
  const container = isContainer(v);
  const expanded = container && isOpen(id, depth);
  const isSel = selected !== null && selected.join('\u0000') === id && selected.length === path.length;
  return (
    <li
      role="treeitem"
      aria-expanded={container ? expanded : undefined}
      aria-selected={isSel}
      class={hits.has(id) ? 'hit' : undefined}
    >
      <div class="row">
        {container ? (
          <button
            type="button"
            class="twisty"
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${jsonPath(path)}`}
            onClick={() => toggle(id, depth)}
          >
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span class="twisty" aria-hidden="true" />
        )}
        <button type="button" class="select" onClick={() => setSelected(path)} title={jsonPath(path)}>
          {label !== null && <span class="key">{label}: </span>}
          <span class={container ? 'summary' : `value ${typeof v}`}>{preview(v)}</span>
        </button>
      </div>
      {expanded && (
        <ul role="group">
          {Object.entries(v).map(([k, child]) => {
            const seg: Seg = Array.isArray(v) ? Number(k) : k;
            return <Node key={k} v={child} path={[...path, seg]} label={String(seg)} ctx={ctx} />;
          })}
        </ul>
      )}
    </li>
  );
}

export function JsonTree({ value, onCopy }: Props) {
  const [term, setTerm] = useState('');
  const [toggled, setToggled] = useState<Map<string, boolean>>(new Map());
  const [selected, setSelected] = useState<Seg[] | null>(null);
  const { hits, open } = useMemo(() => matchesOf(value, term.trim()), [value, term]);

  const isOpen = (id: string, depth: number) => toggled.get(id) ?? (open.has(id) || depth < 2);
  const toggle = (id: string, depth: number) => setToggled(new Map(toggled).set(id, !isOpen(id, depth)));
  const selectedValue = selected
    ? selected.reduce<unknown>(
        (v, s) => (isContainer(v) ? (v as Record<string, unknown>)[s as string] : undefined),
        value,
      )
    : undefined;

  return (
    <div class="tree-view">
      <div class="toolbar">
        <label for="tree-search">Search</label>
        <input
          id="tree-search"
          type="search"
          value={term}
          onInput={(e) => setTerm(e.currentTarget.value)}
          placeholder="Key or value"
        />
        {term.trim() && <span role="status">{hits.size === 1 ? '1 match' : `${hits.size} matches`}</span>}
      </div>
      <div class="toolbar selection" aria-live="polite">
        {selected ? (
          <>
            <code class="path">{jsonPath(selected)}</code>
            <button type="button" onClick={() => onCopy('path', jsonPath(selected))}>
              Copy path
            </button>
            <button
              type="button"
              onClick={() =>
                onCopy(
                  'value',
                  isContainer(selectedValue) ? JSON.stringify(selectedValue, null, 2) : String(selectedValue),
                )
              }
            >
              Copy value
            </button>
          </>
        ) : (
          <span class="hint">Select a row to copy its path or value.</span>
        )}
      </div>
      <ul role="tree" aria-label="Response" class="tree">
        <Node v={value} path={[]} label={null} ctx={{ hits, selected, isOpen, toggle, setSelected }} />
      </ul>
    </div>
  );
}
