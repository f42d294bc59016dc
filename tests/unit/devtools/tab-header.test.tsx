// @vitest-environment happy-dom
/**
 * The DevTools panel's header against a scripted background: the pin switch must show what the
 * user chose, even when a poll that left before the click answers after it (fresh-clone CI once
 * saw the switch flick back on: "Clicking the checkbox did not change its state").
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, it, vi } from 'vitest';
import type { MessageMap, MessageName, PopupState } from '../../../src/core/messages';
import { TabHeader } from '../../../src/devtools/tab-header';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const TAB = 7;
const state = (pin: string | null | undefined): PopupState =>
  ({
    status: 'ok',
    problem: null,
    projects: [{ id: 'p1', name: 'Alpha', authMode: 'header' }],
    activeProjectId: 'p1',
    shortcut: null,
    oauth: null,
    now: 0,
    allowedSites: [],
    page: { tabId: TAB, kind: 'local', site: 'http://localhost:5173', allowed: true, listed: false, pin },
    lock: 'off',
  }) as unknown as PopupState;

interface Deferred {
  resolve(value: PopupState): void;
}

it('a poll that answers after the user unpinned does not turn the pin switch back on', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const stateAnswers: (PopupState | Deferred)[] = [];
  const calls: string[] = [];
  let unpinned = false;
  const send = vi.fn(async (type: MessageName): Promise<unknown> => {
    calls.push(type);
    if (type === 'getMonitoring') return { projects: [] };
    if (type === 'unpinTab') {
      unpinned = true;
      return {};
    }
    if (type === 'getState') {
      // The poll scripted to hang: answered by the test, with the old (pinned) state, later.
      const next = stateAnswers.shift();
      if (next && 'resolve' in next) return new Promise<PopupState>((resolve) => (next.resolve = resolve));
      return next ?? state(unpinned ? undefined : 'p1');
    }
    throw new Error(`unexpected ${type}`);
  }) as unknown as <N extends MessageName>(type: N, args: MessageMap[N]['args']) => Promise<MessageMap[N]['result']>;

  render(<TabHeader tabId={TAB} send={send} />);
  const pin = await screen.findByRole<HTMLInputElement>('checkbox', { name: 'Pin to this tab' });
  expect(pin.checked).toBe(true);

  // The 2 s poll leaves and hangs; the user unpins meanwhile.
  const slowPoll: Deferred = { resolve: () => undefined };
  stateAnswers.push(slowPoll);
  vi.advanceTimersByTime(2_000);
  await waitFor(() => expect(calls.filter((c) => c === 'getState')).toHaveLength(2));
  fireEvent.click(pin);
  expect(pin.checked).toBe(false);
  await waitFor(() => expect(calls).toContain('unpinTab'));
  await waitFor(() => expect(calls.filter((c) => c === 'getState')).toHaveLength(3));

  // The old poll answers last, with the tab still pinned: the switch stays off.
  slowPoll.resolve(state('p1'));
  await new Promise((r) => setTimeout(r, 20));
  expect(pin.checked).toBe(false);
  expect(screen.queryByRole('alert')).toBeNull();
});
