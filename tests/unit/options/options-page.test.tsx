// @vitest-environment happy-dom
/**
 * The options page ("Activity and settings") with fixture data from a stub client: what each
 * section says, filters that filter, the CSV export, warnings from 80 % of a limit, alerts marked
 * seen once shown, "I rotated it", the Check access confirmation, and settings validation.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activityToCsv } from '../../../src/core/activity-log';
import { ACCESS_CHECK_WARNING } from '../../../src/core/check-access';
import type { AccessReport } from '../../../src/core/monitoring';
import { ROW_HEIGHT } from '../../../src/options/activity-section';
import { OptionsApp } from '../../../src/options/app';
import { pathWithoutKey } from '../../../src/options/activity-format';
import { NOW, ROWS, loadedAnswers, monitoringView, stubClient } from './fixtures';

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
  history.replaceState(null, '', location.pathname);
});

type Stub = ReturnType<typeof stubClient>;

async function openOptions(
  extra: Parameters<typeof stubClient>[0] = {},
  requestNotifications = vi.fn(() => Promise.resolve(true)),
): Promise<Stub> {
  const stub = stubClient({ ...loadedAnswers(), ...extra });
  render(
    <OptionsApp
      client={stub.client}
      requestNotifications={requestNotifications}
      pollMs={60_000}
      loadTabTitles={() => Promise.resolve(new Map([[7, 'Roads map']]))}
    />,
  );
  // The app opens on the page the URL hash names (Activity without one).
  const page = location.hash.slice(1) || 'activity';
  await screen.findByRole('heading', { name: page[0]!.toUpperCase() + page.slice(1), exact: true });
  return stub;
}

/** Open the app on a page, as a bookmark or a reload with its hash does. */
function startOn(page: string): void {
  beforeEach(() => history.replaceState(null, '', `#${page}`));
}

/** Go to a page of the app, as its link in the navigation does (the URL hash names the page). */
async function goTo(label: string): Promise<void> {
  const link = screen.getByRole('link', { name: label });
  location.hash = link.getAttribute('href')!;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  await screen.findByRole('heading', { name: label, exact: true });
  expect(screen.getByRole('link', { name: label }).getAttribute('aria-current')).toBe('page');
}

function region(name: string | RegExp): HTMLElement {
  return screen.getByRole('region', { name });
}

/** The first cell of each request row in the activity table (its time), as a count of rows. */
function shownPaths(): string[] {
  return Array.from(document.querySelectorAll('table.activity td.path')).map((td) => td.textContent ?? '');
}

function choose(label: string, value: string): void {
  fireEvent.change(screen.getByRole('combobox', { name: label }), { target: { value } });
}

async function findStatus(text: string | RegExp): Promise<HTMLElement> {
  return waitFor(() => {
    const match = screen
      .queryAllByRole('status')
      .find((s) => (typeof text === 'string' ? s.textContent?.includes(text) : text.test(s.textContent ?? '')));
    if (!match)
      throw new Error(
        `No status containing ${String(text)}: ${screen
          .queryAllByRole('status')
          .map((s) => s.textContent)
          .join(' | ')}`,
      );
    return match;
  });
}

describe('navigation', () => {
  it('opens on Activity and moves between pages by the URL hash', async () => {
    await openOptions();
    expect(screen.getByRole('link', { name: 'Activity' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Activity',
      'Usage',
      'Projects',
      'Sites',
      'Keys',
      'Settings',
    ]);
    await goTo('Usage');
    expect(screen.queryByRole('grid')).toBeNull();
    await goTo('Keys');
    await goTo('Activity');
    expect(screen.getByRole('grid')).toBeTruthy();
  });
});

describe('Activity', () => {
  it('lists every request with its credential, tab and initiator, and explains the failures', async () => {
    await openOptions();
    const activity = region('Activity');
    expect(shownPaths()).toEqual(ROWS.map((r) => r.path));
    const rows = within(activity).getAllByRole('row');
    // Header, then one line per request.
    expect(rows).toHaveLength(4);
    expect(rows[1]!.textContent).toContain('OS Maps API');
    expect(rows[1]!.textContent).toContain('Roads (Key header)');
    // The tab by its title, once known.
    await waitFor(() => expect(within(activity).getAllByRole('row')[1]!.textContent).toContain('Roads map'));
    expect(rows[1]!.textContent).toContain('http://localhost:5173');
    expect(rows[1]!.textContent).toContain('32 ms');
    expect(rows[1]!.getAttribute('title')).toBe(ROWS[0]!.path);
    expect(rows[2]!.textContent).toContain('None: Site not allowed');
    expect(rows[2]!.textContent).toContain('401');
    expect(within(activity).getByText('Showing 3 of 3 requests.')).toBeTruthy();
    // Selecting a failure opens its details with the explanation.
    fireEvent.click(rows[2]!);
    const details = await screen.findByRole('region', { name: 'Request details' });
    expect(details.querySelector('.explanation')!.textContent).toBe(
      "No API key was sent: OS Names API needs a key, and none was attached.What to do: Add the page's site to the allowed sites.",
    );
    expect(within(details).getByText('None: Site not allowed')).toBeTruthy();
    expect(rows[2]!.getAttribute('aria-selected')).toBe('true');
  });

  it('filters by status, API, project and tab, each with a visible label', async () => {
    await openOptions();
    for (const label of ['Project', 'API', 'Status', 'Tab'])
      expect(screen.getByText(label, { selector: 'label' })).toBeTruthy();

    choose('Status', 'failed');
    expect(shownPaths()).toEqual([ROWS[1]!.path, ROWS[2]!.path]);
    choose('Status', 'ok');
    expect(shownPaths()).toEqual([ROWS[0]!.path]);
    choose('Status', '429');
    expect(shownPaths()).toEqual([ROWS[2]!.path]);
    choose('Status', 'all');

    choose('API', 'OS Names API');
    expect(shownPaths()).toEqual([ROWS[1]!.path]);
    choose('API', 'all');

    choose('Project', 'none');
    expect(shownPaths()).toEqual([ROWS[1]!.path]);
    choose('Project', 'p1');
    expect(shownPaths()).toEqual([ROWS[0]!.path, ROWS[2]!.path]);

    choose('Tab', '9');
    expect(shownPaths()).toEqual([]);
    expect(screen.getByText(/^Showing 0 of 3 requests\. Nothing matches the filters\.$/)).toBeTruthy();
    choose('Project', 'all');
    expect(shownPaths()).toEqual([ROWS[1]!.path]);
    // Only the codes seen are offered.
    const codes = within(screen.getByRole('combobox', { name: 'Status' }))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(codes).toEqual(['All', 'Failed', 'Succeeded', '200', '401', '429']);
  });

  it('exports the filtered rows as CSV', async () => {
    const blobs: Blob[] = [];
    const names: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:options/1';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    await openOptions();
    choose('Status', 'failed');
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await findStatus(/^Exported 2 requests to os-api-activity-\d{4}-\d{2}-\d{2}\.csv\.$/);
    expect(names[0]).toMatch(/^os-api-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(blobs[0]!.type).toBe('text/csv');
    const text = await blobs[0]!.text();
    expect(text).toBe(activityToCsv([ROWS[1]!, ROWS[2]!]));
    expect(text.split('\r\n')[0]).toBe(
      'time,method,api,label,path,status,durationMs,projectId,mode,reasonNone,tabId,initiator',
    );
    expect(text).toContain('site-not-allowed');
    expect(text).not.toContain('/maps/raster');
  });

  it('draws only the lines in view of a full log, with room to scroll to all of them', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...ROWS[0]!,
      seq: 3000 - i,
      path: `/search/names/v1/find?query=q${3000 - i}`,
    }));
    await openOptions({ getActivity: () => ({ rows: many, recording: true, now: NOW }) });
    const drawn = shownPaths();
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(100);
    expect(drawn[0]).toBe('/search/names/v1/find?query=q3000');
    expect(screen.getByText(/^Showing 3000 of 3000 requests\.$/)).toBeTruthy();
    // The rows not drawn still take their height, so the scroll bar covers the whole log.
    const spacer = document.querySelector<HTMLElement>('table.activity tr.spacer td')!;
    expect(parseInt(spacer.style.height, 10)).toBe((3000 - drawn.length) * ROW_HEIGHT);
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('3001');
  });

  it('moves the selection with the arrow keys, Home and End', async () => {
    await openOptions();
    const grid = screen.getByRole('grid');
    const selectedPath = () => grid.querySelector('tr[aria-selected="true"] td.path')?.textContent;
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await waitFor(() => expect(selectedPath()).toBe(ROWS[0]!.path));
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await waitFor(() => expect(selectedPath()).toBe(ROWS[1]!.path));
    expect(document.activeElement?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(selectedPath()).toBe(ROWS[2]!.path));
    fireEvent.keyDown(grid, { key: 'Home' });
    await waitFor(() => expect(selectedPath()).toBe(ROWS[0]!.path));
    fireEvent.keyDown(grid, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Request details' })).toBeNull());
  });

  it('filters by text: status:4xx, api:, and words in the path', async () => {
    await openOptions();
    const filter = screen.getByRole('searchbox', { name: 'Filter' });
    fireEvent.input(filter, { target: { value: 'status:4xx' } });
    expect(shownPaths()).toEqual([ROWS[1]!.path, ROWS[2]!.path]);
    fireEvent.input(filter, { target: { value: 'api:places' } });
    expect(shownPaths()).toEqual([ROWS[2]!.path]);
    fireEvent.input(filter, { target: { value: 'Road_3857' } });
    expect(shownPaths()).toEqual([ROWS[0]!.path]);
    fireEvent.input(filter, { target: { value: 'status:5xx' } });
    expect(shownPaths()).toEqual([]);
    expect(screen.getByText(/Nothing matches the filters\./)).toBeTruthy();
  });

  it('hides the extension’s own requests unless asked, and groups repeated failures', async () => {
    const own = {
      ...ROWS[0]!,
      seq: 10,
      tabId: -1,
      initiator: 'chrome-extension://abc',
      path: '/oauth2/token/v1',
      api: 'oauth' as const,
      label: 'OAuth 2 token',
    };
    const repeat = (seq: number) => ({ ...ROWS[1]!, seq, path: `/search/names/v1/find?query=r${seq}` });
    const rows = [own, repeat(9), repeat(8), repeat(7), ...ROWS];
    await openOptions({ getActivity: () => ({ rows, recording: true, now: NOW }) });
    expect(shownPaths()).not.toContain('/oauth2/token/v1');
    expect(screen.getByText(/1 made by the extension itself \(tokens, Check access\) are hidden\./)).toBeTruthy();
    // Three of the same failure, then ROWS[0] (a success) breaks the run: one group line, ×3.
    const group = document.querySelector('tr.group')!;
    expect(group.textContent).toContain('×3');
    expect(shownPaths()).toEqual(['/search/names/v1/find?query=r9', ROWS[0]!.path, ROWS[1]!.path, ROWS[2]!.path]);
    fireEvent.dblClick(group);
    await waitFor(() => expect(shownPaths()).toHaveLength(7));
    fireEvent.click(screen.getByRole('checkbox', { name: /^The extension’s own requests/ }));
    await waitFor(() => expect(shownPaths()[0]).toBe('/oauth2/token/v1'));
  });

  it('copies a curl command for the row, without the key parameter', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const { sent } = await openOptions({
      copyCurlCommand: () => ({ command: "curl 'https://api.os.uk/…' -H 'key: SECRET'" }),
    });
    // From the selected request's details.
    fireEvent.click(within(screen.getByRole('grid')).getAllByRole('row')[1]!);
    const details = await screen.findByRole('region', { name: 'Request details' });
    fireEvent.click(within(details).getByRole('button', { name: 'Copy as curl' }));
    await findStatus('Copied a curl command');
    // With the row's own project (p1), whose credential the command should carry.
    expect(sent('copyCurlCommand')).toEqual([
      { url: 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png?foo=1', projectId: 'p1' },
    ]);
    expect(writeText).toHaveBeenCalledWith("curl 'https://api.os.uk/…' -H 'key: SECRET'");
    expect(pathWithoutKey('/a?KEY=x&k%65y=y&b=2#key=z')).toBe('/a?b=2');
    expect(pathWithoutKey('/a?key=…redacted…')).toBe('/a');
  });

  it('clears the activity', async () => {
    const { sent } = await openOptions({ clearActivity: () => null });
    fireEvent.click(screen.getByRole('button', { name: 'Clear activity' }));
    await findStatus('Activity cleared.');
    expect(sent('clearActivity')).toEqual([{}]);
  });
});

describe('Usage', () => {
  startOn('usage');
  it('shows each API against the mode limit, with a warning from 80 %', async () => {
    await openOptions();
    const roads = region('Roads (Development mode)');
    const maps = within(roads).getByText('42 of 50 a minute: close to the limit');
    expect(maps.closest('li')!.className).toBe('warning');
    const names = within(roads).getByText('10 of 50 a minute');
    expect(names.closest('li')!.className).toBe('');
    const meter = within(roads).getByLabelText<HTMLMeterElement>('OS Maps API');
    expect(meter.tagName).toBe('METER');
    expect(meter.getAttribute('value')).toBe('42');
    expect(meter.getAttribute('max')).toBe('50');
    expect(within(region('Flood (Live mode)')).getAllByText('0 of 600 a minute')).toHaveLength(10);
    // What is counted, in OS's words: refused requests are not, and tiles may be billed in bundles.
    const note = within(region('Usage')).getByText(/refused requests \(401\/403\) are not counted/);
    expect(note.textContent).toMatch(/OS may bill map tiles in bundles .* can overstate what OS bills\.$/);
    expect(within(region('Usage')).getByText(/50 in Development mode, 600 in Live/)).toBeTruthy();
  });

  it('draws per-minute and per-day charts with a text alternative', async () => {
    await openOptions({ getMonitoring: () => monitoringView({ daily: [] }) });
    const chart = screen.getByRole('img', { name: /^Roads: requests per minute, last hour/ });
    expect(chart.querySelector('desc')!.textContent).toMatch(
      /^49 requests in the last hour; the busiest minute was \d\d:\d\d with 42\.$/,
    );
    expect(chart.querySelectorAll('rect.bar')).toHaveLength(60);
    expect(chart.textContent).toContain('Minute');
    expect(chart.textContent).toContain('Requests');
    const days = screen.getByRole('img', { name: /^Roads: requests per day, last 30 days/ });
    expect(days.querySelector('desc')!.textContent).toBe('No requests in the last 30 days.');
    expect(days.querySelectorAll('rect.bar')).toHaveLength(30);
    expect(screen.getAllByText('Roads: requests per minute, last hour: as a table')).toHaveLength(1);
  });
});

describe('Alerts', () => {
  it('lists unseen alerts and marks them seen once shown', async () => {
    const { sent } = await openOptions();
    const alerts = region('Alerts');
    expect(within(alerts).getByRole('alert').textContent).toContain(
      'OS refused requests to OS Maps API for Roads: more than 50 a minute.',
    );
    expect(within(alerts).getByRole('alert').textContent).toContain('Roads · OS Maps API');
    expect(within(alerts).getByRole('alert').textContent).toContain('3 times');
    await waitFor(() => expect(sent('alertsSeen')).toEqual([{}]));
  });

  it('does not call alertsSeen when there is nothing to see', async () => {
    const { sent } = await openOptions({ getMonitoring: () => monitoringView({ alerts: [] }) });
    expect(within(region('Alerts')).getByText('No alerts in this browser session.')).toBeTruthy();
    expect(sent('alertsSeen')).toEqual([]);
  });

  it('keeps a history of seen alerts, newest first, marked as seen', async () => {
    const older = {
      ...monitoringView().alerts[0]!,
      id: 'auth-failures:p1:names',
      kind: 'auth-failures' as const,
      api: 'names' as const,
      lastAt: NOW - 60_000,
      message: 'OS Names API refused 3 requests (401/403).',
    };
    const { sent } = await openOptions({ getMonitoring: () => monitoringView({ seenAlerts: [older] }) });
    const items = within(screen.getByRole('list', { name: 'Alerts, newest first' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^New OS refused requests to OS Maps API/),
      expect.stringMatching(/^ ?OS Names API refused 3 requests.*· seen$/),
    ]);
    await waitFor(() => expect(sent('alertsSeen')).toEqual([{}]));
  });
});

describe('Keys', () => {
  startOn('keys');
  it('reminds when a key is due, links to the OS Data Hub, and "I rotated it" restarts its age', async () => {
    const { sent } = await openOptions({ markKeyRotated: () => null });
    const roads = within(region('Keys')).getByRole('region', { name: 'Roads' });
    expect(within(roads).getByText(/This key is 120 days old/).className).toBe('hint warning');
    const link = within(roads).getByRole('link', { name: 'Regenerate the key on the OS Data Hub' });
    expect(link.getAttribute('href')).toBe('https://osdatahub.os.uk/projects');
    expect(link.getAttribute('target')).toBe('_blank');
    const flood = within(region('Keys')).getByRole('region', { name: 'Flood' });
    expect(within(flood).queryByRole('link')).toBeNull();
    fireEvent.click(within(roads).getByRole('button', { name: 'I rotated it' }));
    await findStatus('Roads: key age restarted from today.');
    expect(sent('markKeyRotated')).toEqual([{ id: 'p1' }]);
  });

  it('Check access warns first, sends nothing on Cancel, and lists each API after Confirm', async () => {
    const report: AccessReport = {
      projectId: 'p1',
      checkedAt: NOW,
      results: [
        { api: 'maps-raster', label: 'OS Maps API', ok: true, outcome: 'ok', status: 200, explanation: null },
        {
          api: 'names',
          label: 'OS Names API',
          ok: false,
          outcome: 'no-access',
          status: 401,
          explanation: {
            title: 'Key not enabled for OS Names API',
            detail: 'The project does not include it.',
            action: 'Add the API to the project.',
          },
        },
        {
          api: 'ngd-tiles',
          label: 'OS NGD API – Tiles',
          ok: false,
          outcome: 'could-not-check',
          status: 404,
          explanation: {
            title: 'Could not check: Not found',
            detail: 'OS says: "Tile not found"',
            action: 'Check the request.',
          },
        },
      ],
    };
    const { sent } = await openOptions({ checkAccess: () => report });
    const roads = within(region('Keys')).getByRole('region', { name: 'Roads' });
    fireEvent.click(within(roads).getByRole('button', { name: 'Check access' }));
    const confirm = within(roads).getByRole('group', { name: ACCESS_CHECK_WARNING });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(within(roads).queryByText(ACCESS_CHECK_WARNING)).toBeNull();
    expect(sent('checkAccess')).toEqual([]);

    fireEvent.click(within(roads).getByRole('button', { name: 'Check access' }));
    fireEvent.click(within(roads).getByRole('button', { name: 'Confirm' }));
    const results = await within(roads).findByRole('table', { name: 'Access of Roads' });
    expect(sent('checkAccess')).toEqual([{ id: 'p1' }]);
    // One row per API: name, result in words, HTTP status, and OS's reason behind a disclosure.
    const rows = within(results).getAllByRole('row').slice(1);
    const cells = rows.map((row) =>
      within(row)
        .getAllByRole(/cell|rowheader/)
        .map((c) => c.textContent),
    );
    expect(cells[0]).toEqual(['OS Maps API', 'OK', '200', '—']);
    expect(cells[1]?.slice(0, 3)).toEqual(['OS Names API', 'No access', '401']);
    expect(cells[2]?.slice(0, 3)).toEqual(['OS NGD API – Tiles', 'Could not check', '404']);
    const why = within(rows[1]!).getByText('Key not enabled for OS Names API');
    expect(why.tagName).toBe('SUMMARY');
    expect(why.closest('details')?.textContent).toContain(
      'The project does not include it.What to do: Add the API to the project.',
    );
    expect(within(roads).getByText(/1 ok, 1 no access, 1 could not check\./)).toBeTruthy();
    expect(
      within(roads).getByText(/OS Match & Cleanse API is not checked: OS withdrew it on 31 March 2026/),
    ).toBeTruthy();
  });
});

describe('Settings', () => {
  startOn('settings');
  it('validates the key age before saving, then saves it', async () => {
    const { sent } = await openOptions({ saveSettings: (patch) => ({ ...monitoringView().settings, ...patch }) });
    const days = screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Key age reminder (days)' });
    expect(days.value).toBe('90');
    for (const bad of ['0', '3651', '2.5', '']) {
      fireEvent.input(days, { target: { value: bad } });
      fireEvent.click(screen.getByRole('button', { name: 'Save reminder' }));
      expect(within(region('Settings')).getByRole('alert').textContent).toBe(
        'Enter a whole number of days from 1 to 3650.',
      );
      expect(days.getAttribute('aria-invalid')).toBe('true');
    }
    expect(sent('saveSettings')).toEqual([]);
    fireEvent.input(days, { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save reminder' }));
    await findStatus('Key age reminder set to 30 days.');
    expect(sent('saveSettings')).toEqual([{ keyAgeDays: 30 }]);
    expect(days.getAttribute('aria-invalid')).toBeNull();
  });

  it('asks for the notifications permission in the click, and saves "on" only if granted', async () => {
    const request = vi.fn(() => Promise.resolve(false));
    const { sent } = await openOptions(
      { saveSettings: (patch) => ({ ...monitoringView().settings, ...patch }) },
      request,
    );
    const box = screen.getByRole('checkbox', { name: 'Desktop notifications' });
    fireEvent.click(box);
    expect(request).toHaveBeenCalledTimes(1); // synchronously, in the click
    await waitFor(() =>
      expect(within(region('Settings')).getByRole('alert').textContent).toBe(
        'The browser did not allow notifications, so they stay off.',
      ),
    );
    expect(sent('saveSettings')).toEqual([]);

    request.mockResolvedValueOnce(true);
    fireEvent.click(box);
    await findStatus('Desktop notifications are on.');
    expect(sent('saveSettings')).toEqual([{ notifications: true }]);
  });

  it('turns recording off', async () => {
    const { sent } = await openOptions({ saveSettings: (patch) => ({ ...monitoringView().settings, ...patch }) });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Record activity' }));
    await findStatus('Activity recording is off.');
    expect(sent('saveSettings')).toEqual([{ recordActivity: false }]);
  });

  it('a checkbox keeps the state clicked while the save is under way (no flicker back)', async () => {
    let settings = monitoringView().settings;
    let release: () => void = () => undefined;
    const { sent } = await openOptions({
      getMonitoring: () => monitoringView({ settings }),
      saveSettings: async (patch) => {
        await new Promise<void>((r) => (release = r));
        settings = { ...settings, ...patch };
        return settings;
      },
    });
    const box = () => screen.getByRole<HTMLInputElement>('checkbox', { name: 'Record activity' });
    fireEvent.click(box());
    expect(box().checked).toBe(false);
    release();
    await findStatus('Activity recording is off.');
    fireEvent.click(box()); // clears the status line (a re-render) while this save waits
    await waitFor(() => expect(sent('saveSettings')).toHaveLength(2));
    expect(box().checked).toBe(true);
    release();
    await findStatus('Recording activity.');
    expect(box().checked).toBe(true);
  });

  it('turns durations off', async () => {
    const { sent } = await openOptions({ saveSettings: (patch) => ({ ...monitoringView().settings, ...patch }) });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Record durations' }));
    await findStatus('Durations are no longer recorded.');
    expect(sent('saveSettings')).toEqual([{ recordDurations: false }]);
  });

  it('says so when a setting cannot be saved', async () => {
    await openOptions({
      saveSettings: () => {
        throw new Error('The browser could not write the settings.');
      },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Record activity' }));
    await waitFor(() =>
      expect(within(region('Settings')).getByRole('alert').textContent).toBe(
        'The browser could not write the settings.',
      ),
    );
  });
});
