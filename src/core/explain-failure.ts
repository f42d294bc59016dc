/**
 * Plain-language explanations of failed OS API requests (issue 5, "Explanations"), from the status
 * and the error bodies in os-apis.md §3. Pure and total: bodies are parsed defensively, and any
 * text taken from a body is scrubbed so a key or token is never echoed back into the UI or log.
 */
import { parseErrorBody } from './error-body';
import { mayBePremium, OS_API_LABELS, type OsApi, withdrawnOn } from './os-api-classify';
import type { ProjectMode } from './project';

/** How the request carried a credential, as the extension applied it. */
export type CredentialSent = 'header' | 'query' | 'bearer' | 'none';

/** Why no credential was attached. */
export type NoCredentialReason =
  | 'off'
  | 'site-not-allowed'
  | 'locked'
  | 'no-token'
  | 'no-key'
  | 'passthrough'
  | 'extension'
  /** The request carried a key or token that is none of the keyring's projects (the page's own). */
  | 'page-credential'
  /** Nothing reached OS: answered from the browser's cache, or failed before it was sent. */
  | 'not-sent'
  /** A request of no tab (a service or shared worker) while some tab is pinned to a project. */
  | 'worker-while-pinned';

export interface FailureInput {
  /** HTTP status; 0 for a network error (no response at all). */
  status: number;
  /** Response body as text, if it was captured. */
  body?: string;
  api: OsApi | 'oauth' | null;
  credential: CredentialSent;
  reasonNone?: NoCredentialReason;
  /** The request URL, if known: only used to spot Premium zoom levels. */
  url?: string;
  /** The project's mode (Development or Live), if known: makes the 429 advice specific. */
  mode?: ProjectMode;
}

export interface FailureExplanation {
  title: string;
  detail: string;
  action: string;
}

const NONE_REASONS: Record<NoCredentialReason, { why: string; action: string }> = {
  off: { why: 'the keyring is Off', action: 'Choose a project in the extension popup.' },
  'site-not-allowed': {
    why: "the page's site is not one the keyring may add credentials for",
    action: "Add the page's site to the allowed sites in the extension popup.",
  },
  locked: { why: 'the keyring is locked', action: 'Unlock the keyring with your passphrase in the extension popup.' },
  'no-token': {
    why: 'no OAuth 2 token was available (the token request failed or had not finished)',
    action: "Check the project's key and secret, then reload the page.",
  },
  'no-key': {
    why: 'the project has no key saved (it was cleared with "Forgot passphrase")',
    action: "Paste the project's key from the OS Data Hub into the project.",
  },
  passthrough: {
    why: 'requests to the OAuth 2 token endpoint are left exactly as the page sent them',
    action: "Send the project key and secret as Basic credentials in the page's own token request.",
  },
  extension: {
    why: 'it was sent by the extension itself, which adds its credentials directly',
    action: 'Open the extension popup for the reason shown there.',
  },
  'page-credential': {
    why: "the page sent a key or token of its own, which is not one of the keyring's projects",
    action: "Remove the key from the page's code and let the keyring add it, or add that key as a project.",
  },
  'worker-while-pinned': {
    why: 'it came from a service worker or shared worker (no tab) while a tab is pinned to a project, and such requests get no credential then',
    action:
      'Unpin the tab (Use a different project in this tab → the active project) to give workers the active project again.',
  },
  'not-sent': {
    why: 'the request never reached OS (the browser answered it from its cache, or it failed before being sent)',
    action: 'Reload the page with the cache disabled to see what OS answers.',
  },
};

function missingKey(input: FailureInput, apiName: string): FailureExplanation {
  const reason = input.reasonNone ? NONE_REASONS[input.reasonNone] : undefined;
  if (input.credential !== 'none') {
    return {
      title: 'OS did not receive the key',
      detail: `The extension attached the credential (${input.credential}), but ${apiName} answered as if no key was sent.`,
      action: 'Reload the page; if it repeats, try the project in "Key header" or "Key query parameter" mode.',
    };
  }
  return {
    title: 'No API key was sent',
    detail: `${apiName.charAt(0).toUpperCase()}${apiName.slice(1)} needs a key, and none was attached${reason ? ` because ${reason.why}` : ''}.`,
    action: reason?.action ?? "Choose a project in the extension popup, and check the page's site is allowed.",
  };
}

/** `2026-03-31` → `31 March 2026`, without Intl (core is pure and locale-free). */
export function formatIsoDate(iso: string): string {
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? months[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

function withMessage(detail: string, message: string | undefined): string {
  return message ? `${detail} OS says: "${message}"` : detail;
}

/**
 * Explain a failed request: what went wrong and what to do. Returns null when the request did not
 * fail (1xx–3xx). Codes are matched before statuses because OS uses 401 for several causes (§3.1).
 */
export function explainFailure(input: FailureInput): FailureExplanation | null {
  const status = typeof input.status === 'number' && Number.isFinite(input.status) ? input.status : -1;
  if (status >= 100 && status < 400) return null;
  // `apiName` goes mid-sentence and `ApiName` at a sentence's start: an unknown API is "the OS API"
  // and the token endpoint "the OAuth 2 token endpoint", never "to The OS API" or "the The OS API".
  const apiName =
    input.api === null ? 'the OS API' : input.api === 'oauth' ? `the ${OS_API_LABELS.oauth}` : OS_API_LABELS[input.api];
  const ApiName = apiName.charAt(0).toUpperCase() + apiName.slice(1);
  const specification =
    input.api === null
      ? "the OS API's technical specification"
      : `the ${OS_API_LABELS[input.api]} technical specification`;
  const { errorCode = '', message } = parseErrorBody(input.body);
  const premium = typeof input.url === 'string' && mayBePremium(input.url);

  if (status === 0) {
    return {
      title: 'Network error',
      detail: `The request to ${apiName} got no answer: offline, blocked (by CORS, another extension or a firewall), or cancelled.`,
      action: 'Check the connection and the browser console for a CORS or blocked-request message, then retry.',
    };
  }
  // A withdrawn API fails for every key: blaming the key would send the user the wrong way.
  const withdrawn = withdrawnOn(input.api);
  if (withdrawn) {
    return {
      title: `${ApiName} was withdrawn`,
      detail: withMessage(
        `OS withdrew ${apiName} on ${formatIsoDate(withdrawn)} and removed it from every project, ` +
          `so requests to it fail whatever the key (HTTP ${status}).`,
        message,
      ),
      action: 'Move to a current OS API; OS Places API covers address look-ups.',
    };
  }
  // `InvalidApiKeyForGivenResource` contains `InvalidApiKey`, so it is tested first.
  if (/InvalidApiKeyForGivenResource/i.test(errorCode) || /for given resource/i.test(message ?? '')) {
    return {
      title: `Key not enabled for ${apiName}`,
      detail: premium
        ? `The key is valid, but its project cannot use this request. This may be Premium data, which an OpenData-only project cannot use.`
        : `The key is valid, but its OS Data Hub project does not include ${apiName}.`,
      action:
        `On the OS Data Hub, add ${apiName} to the project (or use a project that has it)` +
        `${premium ? ', or stay at OpenData zoom levels' : ''}.`,
    };
  }
  if (/InvalidApiKey/i.test(errorCode)) {
    return {
      title: 'Invalid API key',
      detail:
        'OS does not recognise this key: it may be mistyped, cut short, or regenerated or deleted on the OS Data Hub.',
      action: "Copy the project's key again from the OS Data Hub and paste it into the project.",
    };
  }
  if (/FailedToResolveAPIKey/i.test(errorCode)) return missingKey(input, apiName);
  if (/access_token_expired/i.test(errorCode)) {
    return {
      title: 'OAuth token expired',
      detail: 'The bearer token (they last about 5 minutes) had expired when OS received the request.',
      action:
        "Reload the page; the extension renews tokens before they expire. If it repeats, check the computer's clock.",
    };
  }
  if (/invalid_access_token|InvalidAccessToken/i.test(errorCode)) {
    return {
      title: 'OAuth token not accepted',
      detail: 'OS did not accept the bearer token.',
      action: "Reload the page to get a new token; if it repeats, check the project's key and secret.",
    };
  }
  if (/invalid_client/i.test(errorCode) || (input.api === 'oauth' && status === 401)) {
    return {
      title: 'Key or secret rejected',
      detail: 'The OAuth 2 token endpoint rejected the project key and secret.',
      action: 'Copy the key and secret again from the OS Data Hub project and save them in the project.',
    };
  }
  if (input.api === 'oauth' && status === 400) {
    // The token endpoint takes only `grant_type=client_credentials` with Basic credentials (§2.3).
    return {
      title: 'Token request not understood',
      detail: withMessage(
        `The OAuth 2 token endpoint could not use the request${errorCode ? ` (${errorCode})` : ''}: ` +
          'it needs a POST with Basic credentials and the body grant_type=client_credentials.',
        message,
      ),
      action:
        'Send the project key and secret as Basic credentials, ' +
        'with Content-Type application/x-www-form-urlencoded and grant_type=client_credentials.',
    };
  }
  if (/TooBigLine/i.test(errorCode) || status === 414) {
    return {
      title: 'Request URL too long',
      detail: `${ApiName} refused the request because its URL is too long (often a large filter).`,
      action: 'Shorten the request: use a smaller filter or bounding box, or POST where the API allows it.',
    };
  }

  if (status === 401) {
    if (input.credential === 'none') return missingKey(input, apiName);
    return {
      title: premium ? 'May be Premium data' : 'Not authorised',
      detail: withMessage(
        premium
          ? 'OS refused this request. It may be Premium data (for example OS Maps zoom 17 and above), ' +
              'which an OpenData-only project cannot use.'
          : `OS refused the credential: the key may be wrong, or its project may not include ${apiName}. ` +
              'It may also be Premium data, which an OpenData-only project cannot use.',
        message,
      ),
      action: premium
        ? 'Stay at OpenData zoom levels, or use a project with Premium access on the OS Data Hub.'
        : `Check the key, and that ${apiName} is added to the project on the OS Data Hub.`,
    };
  }
  if (status === 403) {
    return {
      title: 'Access denied',
      detail: withMessage(
        "OS accepted the request's identity but it lacks the rights for this data " +
          '(for example Premium data or a data package not ordered).',
        message,
      ),
      action: `Check on the OS Data Hub that the project's plan and ${apiName} cover this data.`,
    };
  }
  if (status === 429) {
    // OS sends no Retry-After or rate-limit headers (§4), so the cause is not known beyond "429".
    const limits = 'OS allows 50 transactions a minute per API to a project in Development mode and 600 in Live mode.';
    return {
      title: 'Rate limited by OS',
      detail: withMessage(`OS rate-limited this project's requests to ${apiName} (HTTP 429). ${limits}`, message),
      action:
        input.mode === 'live'
          ? 'Slow down (cache tiles, debounce searches); requests succeed again once the rate drops.'
          : 'Slow down (cache tiles, debounce searches), or switch the project to Live mode on the OS Data Hub for 600 a minute.',
    };
  }
  const clientErrors: Record<number, [string, string]> = {
    400: ['Bad request', `${ApiName} could not use the request's parameters.`],
    404: ['Not found', `${ApiName} has nothing at this path.`],
    405: ['Method not allowed', `${ApiName} does not accept this HTTP method here.`],
    406: ['Not acceptable', `${ApiName} cannot answer in the format the request asked for.`],
  };
  const client = clientErrors[status];
  if (client) {
    return {
      title: client[0],
      detail: withMessage(client[1], message),
      action: `Check the request against ${specification} on docs.os.uk.`,
    };
  }
  if (status >= 500 && status <= 599) {
    return {
      title: 'OS service error',
      detail: withMessage(
        `${ApiName} had a problem on its side (HTTP ${status}); this is not caused by the key.`,
        message,
      ),
      action: 'Retry in a little while; if it persists, check the OS service status.',
    };
  }
  return {
    title: status > 0 ? `Request failed (HTTP ${status})` : 'Request failed',
    detail: withMessage(`${ApiName} did not return a successful response.`, message),
    action: 'Check the request and retry.',
  };
}
