/**
 * The activity grid's filters: the text filter (words match the path; `status:`, `api:`,
 * `project:`, `method:` match their columns), the four dropdowns and the extension's own requests.
 */
import { statusText } from '../ui/monitoring-text';
import { tabLabel, tabText, type ActivityFilter, type filterChoices } from './activity-format';

function Filter({
  id,
  label,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ActivityFilters({
  query,
  onQuery,
  filter,
  onFilter,
  choices,
  tabTitles,
  showOwn,
  onShowOwn,
  own,
}: {
  query: string;
  onQuery: (query: string) => void;
  filter: ActivityFilter;
  onFilter: (change: (f: ActivityFilter) => ActivityFilter) => void;
  choices: ReturnType<typeof filterChoices>;
  tabTitles: ReadonlyMap<number, string>;
  showOwn: boolean;
  onShowOwn: (on: boolean) => void;
  /** How many of the rows the extension made itself. */
  own: number;
}) {
  const set = (field: keyof ActivityFilter) => (value: string) => onFilter((f) => ({ ...f, [field]: value }));
  return (
    <div class="toolbar" role="group" aria-label="Filter requests">
      <div class="field grow">
        <label for="activity-query">Filter</label>
        <input
          id="activity-query"
          type="search"
          class="mono"
          value={query}
          placeholder="status:4xx api:places /path"
          spellcheck={false}
          autocomplete="off"
          aria-describedby="activity-query-hint"
          onInput={(e) => onQuery(e.currentTarget.value)}
        />
      </div>
      <Filter
        id="filter-project"
        label="Project"
        value={filter.project}
        onChange={set('project')}
        options={[['all', 'All projects'], ...choices.projects]}
      />
      <Filter
        id="filter-api"
        label="API"
        value={filter.api}
        onChange={set('api')}
        options={[['all', 'All APIs'], ...choices.apis.map((a): [string, string] => [a, a])]}
      />
      <Filter
        id="filter-status"
        label="Status"
        value={filter.status}
        onChange={set('status')}
        options={[
          ['all', 'All'],
          ['failed', 'Failed'],
          ['ok', 'Succeeded'],
          ...choices.statuses.map((s): [string, string] => [String(s), statusText(s)]),
        ]}
      />
      <Filter
        id="filter-tab"
        label="Tab"
        value={filter.tab}
        onChange={set('tab')}
        options={[
          ['all', 'All tabs'],
          ...choices.tabs.map((t): [string, string] => [
            String(t),
            t < 0 ? tabText(t) : tabLabel({ tabId: t, initiator: '' }, tabTitles),
          ]),
        ]}
      />
      <div class="choice">
        <input type="checkbox" id="show-own" checked={showOwn} onChange={(e) => onShowOwn(e.currentTarget.checked)} />
        <label for="show-own">{`The extension’s own requests (${own})`}</label>
      </div>
    </div>
  );
}
