// @vitest-environment happy-dom
/**
 * The popup's Activity section: unseen alerts (marked seen once shown), the active project's usage
 * with a warning from 80 %, the key-age reminder with "I rotated it", this tab's last requests,
 * and the way to the options page. With fixture data, then once through the real background.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MS_PER_DAY } from '../../../src/core/calendar';
import { ActivityPanel } from '../../../src/popup/activity-panel';
import { ROWS, loadedAnswers, monitoringView, stubClient } from '../options/fixtures';
import { timeText } from '../../../src/ui/monitoring-text';
import { KEY_A, KEY_B, NOW, addProject, choose, goToOptionsPage, openPopup, stored } from './setup-popup';

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

function section(): HTMLElement {
  return screen.getByRole('button', { name: 'Open activity and settings' }).closest('section')!;
}

describe('the popup’s Activity section (fixture data)', () => {
  it('shows unseen alerts and marks them seen', async () => {
    const stub = stubClient(loadedAnswers());
    render(<ActivityPanel client={stub.client} tabId={7} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('OS refused requests to OS Maps API for Roads: more than 50 a minute. (3 times)');
    await waitFor(() => expect(stub.sent('alertsSeen')).toEqual([{}]));
  });

  it('lists the active project’s APIs used in the last minute, warning from 80 %', async () => {
    const stub = stubClient(loadedAnswers());
    render(<ActivityPanel client={stub.client} />);
    const maps = await screen.findByText('OS Maps API: 42 of 50 a minute: close to the limit');
    expect(maps.className).toBe('hint warning');
    expect(screen.getByText('OS Names API: 10 of 50 a minute').className).toBe('hint');
    // APIs with no requests in the last minute are left out.
    expect(screen.queryByText(/OS Places API/)).toBeNull();
    // No tab: no recent requests are asked for.
    expect(stub.sent('getActivity')).toEqual([]);
  });

  it('says "at the limit" from 100 %', async () => {
    const view = monitoringView();
    view.projects[0]!.usage[0] = { ...view.projects[0]!.usage[0]!, count: 50, ratio: 1, warning: true };
    render(<ActivityPanel client={stubClient(loadedAnswers(view)).client} />);
    expect((await screen.findByText(/^OS Maps API: 50 of 50/)).textContent).toBe(
      'OS Maps API: 50 of 50 a minute: at the limit, OS refuses more (429)',
    );
  });

  it('reminds about an old key, links to the OS Data Hub, and "I rotated it" sends markKeyRotated', async () => {
    const stub = stubClient({ ...loadedAnswers(), markKeyRotated: () => null });
    render(<ActivityPanel client={stub.client} />);
    await screen.findByText(/This key is 120 days old/);
    const link = screen.getByRole('link', { name: 'OS Data Hub projects' });
    expect(link.getAttribute('href')).toBe('https://osdatahub.os.uk/projects');
    expect(link.getAttribute('target')).toBe('_blank');
    fireEvent.click(screen.getByRole('button', { name: 'I rotated it' }));
    await waitFor(() => expect(stub.sent('markKeyRotated')).toEqual([{ id: 'p1' }]));
  });

  it('lists the last 5 requests of its tab, with the explanation of failures', async () => {
    const stub = stubClient(loadedAnswers());
    const open = vi.fn();
    render(<ActivityPanel client={stub.client} tabId={7} onOpenOptions={open} />);
    const table = await screen.findByRole('table', { name: 'Recent requests in this tab' });
    expect(stub.sent('getActivity')).toEqual([{ tabId: 7, limit: 5 }]);
    // Time, path and status per request; a failure's explanation is read with its status.
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((tr) =>
        within(tr)
          .getAllByRole('cell')
          .map((td) => td.textContent),
      );
    expect(cells).toEqual(
      ROWS.map((r) => [timeText(r.time), r.path, `${r.status}${r.explanation ? `: ${r.explanation.title}` : ''}`]),
    );
    expect(cells.map((c) => c[2])).toEqual(['200', '401: No API key was sent', '429: Rate limited by OS']);
    expect(within(section()).getByRole('heading', { name: 'Recent requests in this tab' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open activity and settings' }));
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('keeps quiet when the background has no monitoring to give', async () => {
    const stub = stubClient({});
    render(<ActivityPanel client={stub.client} tabId={7} />);
    await waitFor(() => expect(stub.sent('getMonitoring')).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('No OS API requests from this tab yet.')).toBeTruthy();
  });
});

describe('through the real background', () => {
  it('an old key is flagged in the popup and on the options page; "I rotated it" restarts its age', async () => {
    const { fake, env } = await openPopup({ withOptionsPage: true });
    await addProject({ name: 'Roads', key: KEY_A });
    await choose('Roads');
    env.time = NOW + 100 * MS_PER_DAY;
    // A storage change: the options page loads again at once; the popup's section loads anew on returning to the list.
    await addProject({ name: 'Other', key: KEY_B });

    await goToOptionsPage('Keys');
    const keys = await screen.findByRole('region', { name: 'Keys' });
    const roads = await within(keys).findByRole('region', { name: 'Roads' });
    await within(roads).findByText(/^This key is 100 days old/);
    expect(
      within(roads).getByRole('link', { name: 'Regenerate the key on the OS Data Hub' }).getAttribute('href'),
    ).toBe('https://osdatahub.os.uk/projects');
    await within(section()).findByText(/^This key is 100 days old/, {}, { timeout: 4_000 });

    fireEvent.click(within(roads).getByRole('button', { name: 'I rotated it' }));
    await within(roads).findByText(/^This key is 0 days old/);
    expect(stored(fake).projects.find((p) => p.name === 'Roads')!.keyChangedAt).toBe(NOW + 100 * MS_PER_DAY);
  }, 10_000);
});
