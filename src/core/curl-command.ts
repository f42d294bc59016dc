/**
 * "Copy as curl": a ready-to-run curl command for an OS API URL carrying a project's credential
 * exactly as the extension attaches it (a `key` header, a `key` query parameter, or an OAuth 2
 * `Authorization: Bearer` header). Pure: the background supplies the credential, the popup the URL.
 * The command is for POSIX shells (bash, zsh, sh): every word is single-quoted.
 */
import type { Credential } from './credential';
import { OS_API_HOST, OS_TOKEN_URL } from './os-api';

/** Longest URL accepted (the message schema enforces it too). */
export const MAX_CURL_URL_LENGTH = 8192;

export type CheckedOsApiUrl = { ok: true; url: string } | { ok: false; error: string };

/**
 * Accept only `https://api.os.uk/…` (credentials never go anywhere else) and return it normalised,
 * without a fragment (curl does not send one). Refuses the token endpoint: it takes the project's
 * key and secret as Basic auth, never a project credential, so there is nothing to add there.
 */
export function checkOsApiUrl(raw: string): CheckedOsApiUrl {
  const text = raw.trim();
  if (!text) return { ok: false, error: `Enter an OS API URL (https://${OS_API_HOST}/…).` };
  if (text.length > MAX_CURL_URL_LENGTH)
    return { ok: false, error: `That URL is longer than ${MAX_CURL_URL_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `That is not a URL. Paste a full address starting https://${OS_API_HOST}/.` };
  }
  if (url.protocol !== 'https:' || url.hostname !== OS_API_HOST || url.port !== '') {
    return {
      ok: false,
      error: `Only https://${OS_API_HOST} URLs get a credential; this one is for ${url.protocol}//${url.host}.`,
    };
  }
  if (url.username || url.password) return { ok: false, error: 'Remove the user name or password from the URL.' };
  url.hash = '';
  if (`${url.origin}${url.pathname}`.replace(/\/+$/, '') === OS_TOKEN_URL) {
    return {
      ok: false,
      error:
        'The token endpoint takes your project’s key and secret (Basic auth), not a token or key header: there is nothing to copy for it.',
    };
  }
  return { ok: true, url: url.href };
}

/** One shell word: single-quoted, with each `'` written as `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `url` with `key=<key>` added, replacing any `key` already there; the other parameters are kept byte for byte. */
function withKeyParam(url: string, key: string): string {
  const parsed = new URL(url);
  const kept = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && decodeName(pair.split('=')[0] ?? '') !== 'key');
  parsed.search = [...kept, `key=${encodeURIComponent(key)}`].join('&');
  return parsed.href;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return name;
  }
}

/**
 * The curl command for a URL already accepted by {@link checkOsApiUrl}, with `credential` attached
 * the way the extension attaches it. The result contains the secret in plain text.
 */
export function curlCommand(url: string, credential: Credential): string {
  switch (credential.mode) {
    case 'header':
      return `curl ${shellQuote(url)} -H ${shellQuote(`key: ${credential.key}`)}`;
    case 'query':
      return `curl ${shellQuote(withKeyParam(url, credential.key))}`;
    case 'oauth':
      return `curl ${shellQuote(url)} -H ${shellQuote(`Authorization: Bearer ${credential.token}`)}`;
  }
}
