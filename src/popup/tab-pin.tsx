/** "Use a different project in this tab": pin a project (or Off) to the tab until it closes. */
import type { PageAccess } from '../core/messages';
import type { RedactedProject } from '../core/redact';

interface Props {
  page: PageAccess;
  projects: RedactedProject[];
  onChange: (projectId: string | null | undefined) => void;
}

const ACTIVE = '__active__';
const OFF = '__off__';

export function TabPin({ page, projects, onChange }: Props) {
  const value = page.pin === undefined ? ACTIVE : page.pin === null ? OFF : page.pin;
  return (
    <div class="field tab-pin">
      <label for="tab-pin">Use a different project in this tab</label>
      <select
        id="tab-pin"
        value={value}
        aria-describedby="tab-pin-hint"
        title="Lasts until the tab closes"
        onChange={(e) => {
          const v = e.currentTarget.value;
          onChange(v === ACTIVE ? undefined : v === OFF ? null : v);
        }}
      >
        <option value={ACTIVE}>No: use the active project</option>
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        <option value={OFF}>Off in this tab</option>
      </select>
      <p class="hint" id="tab-pin-hint">
        Until the tab closes. While any tab is pinned, service and shared workers (they belong to no tab) get no
        credential.
      </p>
    </div>
  );
}
