// @vitest-environment happy-dom
/** The "Grant access" notice: shown only while declared host access is missing; the button asks for exactly that. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostAccessApi } from '../lib/browser-api';
import { HostAccessNotice, describeMissing, hostOf, useHostAccess } from './host-access-notice';

afterEach(cleanup);

const DECLARED = ['https://api.os.uk/*', 'http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*'];

/** An in-memory permissions API; `answer` is what the user does with the browser's prompt. */
class FakeHostAccess implements HostAccessApi {
  granted_ = new Set<string>(DECLARED);
  answer = true;
  requests: string[][] = [];
  /** True while a click handler is running (set by the test around fireEvent.click). */
  inClick = false;
  requestedInClick: boolean[] = [];
  private listeners = new Set<() => void>();

  declared = () => [...DECLARED];
  granted = (origins: string[]) => Promise.resolve(origins.filter((o) => this.granted_.has(o)));
  request = (origins: string[]) => {
    this.requests.push(origins);
    this.requestedInClick.push(this.inClick);
    if (this.answer) origins.forEach((o) => this.granted_.add(o));
    return Promise.resolve(this.answer);
  };
  subscribe = (onChange: () => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };
  revoke(...origins: string[]) {
    origins.forEach((o) => this.granted_.delete(o));
    this.listeners.forEach((l) => l());
  }
}

function Harness({ access }: { access: HostAccessApi }) {
  return <HostAccessNotice access={access} state={useHostAccess(access)} />;
}

function clickGrant(access: FakeHostAccess) {
  access.inClick = true;
  fireEvent.click(screen.getByRole('button', { name: 'Grant access' }));
  access.inClick = false;
}

describe('host access notice', () => {
  it('shows nothing while every declared host is granted (Chromium after install)', async () => {
    const access = new FakeHostAccess();
    render(<Harness access={access} />);
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Grant access' })).toBeNull();
  });

  it('says api.os.uk gets nothing; Grant access requests exactly the missing hosts, from the click itself', async () => {
    const access = new FakeHostAccess();
    access.granted_.delete('https://api.os.uk/*');
    render(<Harness access={access} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'has not given OS API Keyring access to api.os.uk, so no credential is attached to any request',
    );
    clickGrant(access);
    expect(access.requests).toEqual([['https://api.os.uk/*']]);
    expect(access.requestedInClick).toEqual([true]);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('appears when access is revoked while the popup is open, and says so when the user refuses', async () => {
    const access = new FakeHostAccess();
    render(<Harness access={access} />);
    await new Promise((r) => setTimeout(r, 0));
    access.revoke('http://localhost/*', 'http://[::1]/*');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'access to localhost and [::1], so requests that pages there make to api.os.uk get no credential',
    );
    access.answer = false;
    clickGrant(access);
    expect(access.requests).toEqual([['http://localhost/*', 'http://[::1]/*']]);
    await screen.findByText(/Access was not granted/);
    expect(screen.getByRole('button', { name: 'Grant access' })).toBeTruthy();
  });
});

describe('describeMissing', () => {
  it('names the hosts, api.os.uk first', () => {
    expect(hostOf('http://[::1]/*')).toBe('[::1]');
    expect(describeMissing(DECLARED)).toBe(
      'This browser has not given OS API Keyring access to api.os.uk, so no credential is attached to any request. It also needs access to localhost, 127.0.0.1 and [::1] for requests made by your local pages.',
    );
    expect(describeMissing(['http://127.0.0.1/*'])).toBe(
      'This browser has not given OS API Keyring access to 127.0.0.1, so requests that pages there make to api.os.uk get no credential (typed OS API addresses still do).',
    );
  });
});
