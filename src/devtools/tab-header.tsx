/**
 * The panel's header: the project for the inspected tab (its pin, or the active project), the pin
 * switch and the last minute's usage, refreshed every 2 s.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageMap, MessageName, PopupState } from '../core/messages';
import { AUTH_MODE_LABELS } from '../core/project';

export function TabHeader({
  tabId,
  send,
}: {
  tabId: number;
  send: <N extends MessageName>(type: N, args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']>;
}) {
  const [state, setState] = useState<PopupState | null>(null);
  const [usage, setUsage] = useState<{ label: string; count: number; limit: number }[]>([]);
  const [error, setError] = useState('');
  /** The pin switch as the user last set it, until the background has answered (see `pin`). */
  const [pendingPin, setPendingPin] = useState<boolean | null>(null);
  /**
   * Numbers each refresh; a refresh that answers after a newer one started (or after the user
   * acted) is dropped. Without it a poll that left before a click and answered after it put the old
   * state back for up to 2 s: the pin switch flicked back on after the user had turned it off.
   */
  const generation = useRef(0);
  const refresh = async () => {
    const mine = ++generation.current;
    try {
      const s = await send('getState', { tab: { id: tabId } });
      if (mine !== generation.current) return;
      setState(s);
      const projectId = s.page?.pin !== undefined ? s.page.pin : s.activeProjectId;
      const m = await send('getMonitoring', {});
      if (mine !== generation.current) return;
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
  const pin = async (on: boolean) => {
    setPendingPin(on);
    await act(() => (on ? send('pinTab', { tabId, projectId }) : send('unpinTab', { tabId })));
    setPendingPin(null);
  };
  const act = async (change: () => Promise<unknown>) => {
    generation.current++;
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
        <input type="checkbox" checked={pendingPin ?? pinned} onChange={(e) => void pin(e.currentTarget.checked)} /> Pin
        to this tab
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
