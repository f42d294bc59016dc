/**
 * Says when the browser has not granted the host access the manifest asks for, and offers
 * "Grant access". Firefox treats MV3 host permissions as optional: the user can withhold or revoke
 * them, and declarativeNetRequest then leaves requests alone without any error. Chromium grants
 * them at install (the notice only appears if the user later restricts site access).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { HostAccessApi } from '../lib/browser-api';

const OS_API_PATTERN = 'https://api.os.uk/*';

/** `https://api.os.uk/*` → `api.os.uk`, `http://[::1]/*` → `[::1]`. */
export function hostOf(pattern: string): string {
  return pattern.replace(/^[a-z*]+:\/\//, '').replace(/\/.*$/, '');
}

function listOf(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What the user loses, in one or two sentences. */
export function describeMissing(missing: string[]): string {
  const api = missing.includes(OS_API_PATTERN);
  const pages = missing.filter((p) => p !== OS_API_PATTERN).map(hostOf);
  const parts: string[] = [];
  if (api) parts.push('This browser has not given OS API Keyring access to api.os.uk, so no credential is attached to any request.');
  if (pages.length) {
    parts.push(
      api
        ? `It also needs access to ${listOf(pages)} for requests made by your local pages.`
        : `This browser has not given OS API Keyring access to ${listOf(pages)}, so requests that pages there make to api.os.uk get no credential (typed OS API addresses still do).`,
    );
  }
  return parts.join(' ');
}

/** The declared patterns not granted yet (null until first checked). */
function useMissingAccess(access: HostAccessApi): [string[] | null, () => void] {
  const [missing, setMissing] = useState<string[] | null>(null);
  const check = useCallback(() => {
    const declared = access.declared();
    access.granted(declared).then(
      (granted) => setMissing(declared.filter((p) => !granted.includes(p))),
      () => setMissing([]),
    );
  }, [access]);
  useEffect(() => {
    check();
    return access.subscribe(check);
  }, [access, check]);
  return [missing, check];
}

export function HostAccessNotice({ access }: { access: HostAccessApi }) {
  const [missing, recheck] = useMissingAccess(access);
  const [refused, setRefused] = useState(false);
  if (!missing?.length) return null;

  function grant(origins: string[]) {
    // permissions.request must be the first thing the click handler does (Firefox: user input).
    access.request(origins).then(
      (ok) => {
        setRefused(!ok);
        recheck();
      },
      () => setRefused(true),
    );
  }

  return (
    <div class="alert host-access" role="alert" id="host-access">
      <p>{describeMissing(missing)}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => grant(missing)}>
          Grant access
        </button>
      </div>
      {refused && <p>Access was not granted. You can also allow it in the browser’s settings for this extension (Firefox: Add-ons and themes → OS API Keyring → Permissions).</p>}
    </div>
  );
}
