/**
 * Token state for the active OAuth project: time left (live countdown), last refresh, last error,
 * and the explicit "Refresh token now" / "Copy token" actions. The token value itself is fetched
 * only when the user asks to copy it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PopupState } from '../core/messages';
import { EXPIRY_GUARD_MS } from '../core/token-guard';

interface Props {
  projectId: string;
  oauth: NonNullable<PopupState['oauth']>;
  /** Background clock minus popup clock when the state was read, so countdowns line up. */
  clockSkew: number;
  onRefresh: () => Promise<unknown>;
  onCopy: () => Promise<string>;
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  return m ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function OAuthPanel({ oauth, clockSkew, onRefresh, onCopy }: Props) {
  const [copyNote, setCopyNote] = useState<string | null>(null);
  // Re-render every second; the time is read fresh on each render, so a new state never shows
  // a countdown computed with the previous one's clock.
  const [, setTick] = useState(0);
  useEffect(() => {
    const tick = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(tick);
  }, []);
  const now = Date.now() + clockSkew;

  // The background stops attaching a token EXPIRY_GUARD_MS before it expires: count down to that.
  const usableUntil = oauth.expiresAt === null ? null : oauth.expiresAt - EXPIRY_GUARD_MS;
  const valid = usableUntil !== null && usableUntil > now;
  const error = oauth.lastError;

  async function copy() {
    try {
      await navigator.clipboard.writeText(await onCopy());
      setCopyNote('Token copied. It is a secret: anyone holding it can use this project until it expires.');
    } catch (err) {
      setCopyNote(`Could not copy: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return (
    <section class="oauth" aria-labelledby="oauth-heading">
      <h2 id="oauth-heading">OAuth 2 token</h2>
      <dl>
        <dt>Time left</dt>
        <dd id="token-time-left">
          {oauth.refreshing && !valid
            ? 'Getting a token…'
            : valid
              ? formatDuration(usableUntil - now)
              : 'No valid token'}
        </dd>
        <dt>Last refresh</dt>
        <dd>{oauth.lastRefreshAt !== null ? formatTime(oauth.lastRefreshAt) : 'Never'}</dd>
      </dl>
      {error && (
        <div role="alert" class="alert">
          <p>
            {error.kind === 'rejected' ? 'Token refused. ' : 'Token refresh failed. '}
            {error.message}
          </p>
          {error.kind === 'transient' && oauth.retryAt !== null && (
            <p>
              {oauth.retryAt > now ? `Retrying in ${Math.ceil((oauth.retryAt - now) / 1000)} s.` : 'Retrying now.'}
              {valid
                ? ' The current token stays in use until then.'
                : ' Requests go out without a credential until it works.'}
            </p>
          )}
          {error.kind === 'rejected' && <p>Nothing is attached to requests until this is fixed.</p>}
        </div>
      )}
      <div class="actions">
        <button type="button" onClick={() => void onRefresh()} disabled={oauth.refreshing}>
          Refresh token now
        </button>
        <button
          type="button"
          onClick={() => void copy()}
          disabled={!valid}
          aria-describedby="copy-warning"
          title="A live bearer token for curl or Postman"
        >
          Copy token
        </button>
      </div>
      {/* Read with the button (and shown as its tooltip): a visible line here pushed the OAuth popup past 600 px. */}
      <p class="visually-hidden" id="copy-warning">
        Copy token: a live bearer token for curl or Postman.
      </p>
      {copyNote && (
        <p class="status" role="status">
          {copyNote}
        </p>
      )}
    </section>
  );
}
