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
  if (api)
    parts.push(
      'This browser has not given OS API Keyring access to api.os.uk, so no credential is attached to any request.',
    );
  if (pages.length) {
    parts.push(
      api
        ? `It also needs access to ${listOf(pages)} for requests made by your local pages.`
        : `This browser has not given OS API Keyring access to ${listOf(pages)}, so requests that pages there make to api.os.uk get no credential (typed OS API addresses still do).`,
    );
  }
  return parts.join(' ');
}

/** Whether `missing` leaves api.os.uk itself without access (then nothing is attached anywhere). */
export function apiHostMissing(missing: readonly string[] | null | undefined): boolean {
  return missing?.includes(OS_API_PATTERN) ?? false;
}

export interface HostAccessState {
  /** Declared patterns not granted (null until checked, or when there is no HostAccessApi). */
  missing: string[] | null;
  recheck: () => void;
}

/** The declared host patterns the browser has not granted, kept up to date. */
export function useHostAccess(access: HostAccessApi | undefined): HostAccessState {
  const [missing, setMissing] = useState<string[] | null>(null);
  const recheck = useCallback(() => {
    if (!access) return;
    const declared = access.declared();
    access.granted(declared).then(
      (granted) => setMissing(declared.filter((p) => !granted.includes(p))),
      () => setMissing([]),
    );
  }, [access]);
  useEffect(() => {
    if (!access) return undefined;
    recheck();
    return access.subscribe(recheck);
  }, [access, recheck]);
  return { missing, recheck };
}

export function HostAccessNotice({ access, state }: { access: HostAccessApi; state: HostAccessState }) {
  const [refused, setRefused] = useState(false);
  const { missing, recheck } = state;
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
      {refused && (
        <p>
          Access was not granted. You can also allow it in the browser’s settings for this extension (Firefox: Add-ons
          and themes → OS API Keyring → Permissions).
        </p>
      )}
    </div>
  );
}
