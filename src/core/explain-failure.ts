/**
 * Plain-language explanations of failed OS API requests (issue 5, "Explanations"), from the status
 * and the error bodies in os-apis.md §3. Pure and total: bodies are parsed defensively, and any
 * text taken from a body is scrubbed so a key or token is never echoed back into the UI or log.
 */
import { mayBePremium, OS_API_LABELS, type OsApi, redactUrl, withdrawnOn } from './os-api-classify';
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
  | 'not-sent';

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

/** Fields of the OS error body shapes that matter here (§3.2); all optional. */
interface ParsedBody {
  /** Apigee `fault.detail.errorcode`, or the token endpoint's `ErrorCode`. */
  errorCode?: string;
  /** The most specific human message the service gave, already scrubbed. */
  message?: string;
}

// Bodies are only parsed up to this size: an error body is small; a huge one is not worth the time.
const MAX_BODY = 64 * 1024;
const MAX_MESSAGE = 300;

/**
 * Make service text safe to show: redact `key=` parameters, hide long opaque runs (OS keys are 32
 * alphanumerics, tokens ~28, so anything of 20+ is treated as a possible secret), drop control
 * characters, and cap the length.
 */
export function scrubServiceText(text: string): string {
  const cleaned = redactUrl(text)
    .replace(/\bkey\s*[=:]\s*[^\s&"',;]+/gi, 'key=…redacted…')
    .replace(/\b(bearer\s+)\S+/gi, '$1…redacted…')
    .replace(/[A-Za-z0-9]{20,}/g, (run) => (/[A-Za-z]/.test(run) && /\d/.test(run) ? '…' : run))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return cleaned.length > MAX_MESSAGE ? cleaned.slice(0, MAX_MESSAGE - 1) + '…' : cleaned;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The five XML entities, and numeric references, as an XML parser would read them. */
function decodeXmlText(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
      if (ref[0] !== '#') return named[ref.toLowerCase()] ?? whole;
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
}

/**
 * OGC `ExceptionReport` XML (WMTS, WFS, and the Vector Tile API without a key; docs/os-apis.md §0,
 * §3.2): the code is the `exceptionCode` attribute of the first `Exception`, the text its
 * `ExceptionText`. Two regular expressions rather than an XML parser: core is pure (no DOMParser),
 * only these two values are needed, and an unexpected document simply yields nothing.
 */
function parseOgcException(body: string): ParsedBody {
  if (!/<(?:[\w.-]+:)?ExceptionReport\b/.test(body)) return {};
  const code = /<(?:[\w.-]+:)?Exception\b[^>]*?\bexceptionCode\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(body);
  const text = /<(?:[\w.-]+:)?ExceptionText\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?ExceptionText>/.exec(body);
  const errorCode = str(decodeXmlText(code?.[1] ?? code?.[2] ?? ''));
  const message = str(decodeXmlText(text?.[1] ?? ''));
  return {
    ...(errorCode !== undefined && { errorCode: scrubServiceText(errorCode) }),
    ...(message !== undefined && { message: scrubServiceText(message) }),
  };
}

/**
 * Pull the error code and message out of any of the OS body shapes (docs/os-apis.md §0, §3.2);
 * never throws:
 * - gateway (Apigee) `{"fault":{"faultstring","detail":{"errorcode"}}}`;
 * - OGC `ExceptionReport` XML (`exceptionCode` attribute, `ExceptionText`);
 * - NGD and OS Net, RFC 7807-style `{type,title,status,detail,code,description,help}`;
 * - Places `{"error":{"statuscode","message"}}`; Downloads `{"message"}`;
 * - the token endpoint `{"ErrorCode","Error"}` (and OAuth's standard `error`/`error_description`).
 */
export function parseErrorBody(body: string | undefined): ParsedBody {
  if (typeof body !== 'string' || body.length === 0 || body.length > MAX_BODY) return {};
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return parseOgcException(body);
  }
  const root = obj(json);
  if (!root) return {};
  const fault = obj(root.fault);
  const places = obj(root.error);
  // NGD's `code` is the HTTP status as a number; a string `code` is a real error code.
  const errorCode = str(obj(fault?.detail)?.errorcode) ?? str(root.ErrorCode) ?? str(root.code) ?? str(root.error);
  // The most specific text first: Places `error.message`, NGD `detail`/`description`, Downloads
  // `message`, Apigee `faultstring`, token `Error`/`error_description`, then a bare RFC 7807 `title`.
  const message =
    str(places?.message) ??
    str(root.detail) ??
    str(root.description) ??
    str(root.message) ??
    str(fault?.faultstring) ??
    str(root.Error) ??
    str(root.error_description) ??
    str(root.title);
  return {
    ...(errorCode !== undefined && { errorCode: scrubServiceText(errorCode) }),
    ...(message !== undefined && { message: scrubServiceText(message) }),
  };
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
    action: 'Send the project key and secret as Basic credentials in the page\'s own token request.',
  },
  extension: {
    why: 'it was sent by the extension itself, which adds its credentials directly',
    action: 'Open the extension popup for the reason shown there.',
  },
  'page-credential': {
    why: "the page sent a key or token of its own, which is not one of the keyring's projects",
    action: "Remove the key from the page's code and let the keyring add it, or add that key as a project.",
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
    detail: `${apiName} needs a key, and none was attached${reason ? ` because ${reason.why}` : ''}.`,
    action: reason?.action ?? 'Choose a project in the extension popup, and check the page\'s site is allowed.',
  };
}

/** `2026-03-31` → `31 March 2026`, without Intl (core is pure and locale-free). */
export function formatIsoDate(iso: string): string {
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
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
  const apiName = input.api ? OS_API_LABELS[input.api] : 'The OS API';
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
      title: `${apiName} was withdrawn`,
      detail: withMessage(
        `OS withdrew ${apiName} on ${formatIsoDate(withdrawn)} and removed it from every project, so requests to it fail whatever the key (HTTP ${status}).`,
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
      action: `On the OS Data Hub, add ${apiName} to the project (or use a project that has it)${premium ? ', or stay at OpenData zoom levels' : ''}.`,
    };
  }
  if (/InvalidApiKey/i.test(errorCode)) {
    return {
      title: 'Invalid API key',
      detail: 'OS does not recognise this key: it may be mistyped, cut short, or regenerated or deleted on the OS Data Hub.',
      action: "Copy the project's key again from the OS Data Hub and paste it into the project.",
    };
  }
  if (/FailedToResolveAPIKey/i.test(errorCode)) return missingKey(input, apiName);
  if (/access_token_expired/i.test(errorCode)) {
    return {
      title: 'OAuth token expired',
      detail: 'The bearer token (they last about 5 minutes) had expired when OS received the request.',
      action: "Reload the page; the extension renews tokens before they expire. If it repeats, check the computer's clock.",
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
        `The OAuth 2 token endpoint could not use the request${errorCode ? ` (${errorCode})` : ''}: it needs a POST with Basic credentials and the body grant_type=client_credentials.`,
        message,
      ),
      action: "Send the project key and secret as Basic credentials, with Content-Type application/x-www-form-urlencoded and grant_type=client_credentials.",
    };
  }
  if (/TooBigLine/i.test(errorCode) || status === 414) {
    return {
      title: 'Request URL too long',
      detail: `${apiName} refused the request because its URL is too long (often a large filter).`,
      action: 'Shorten the request: use a smaller filter or bounding box, or POST where the API allows it.',
    };
  }

  if (status === 401) {
    if (input.credential === 'none') return missingKey(input, apiName);
    return {
      title: premium ? 'May be Premium data' : 'Not authorised',
      detail: withMessage(
        premium
          ? 'OS refused this request. It may be Premium data (for example OS Maps zoom 17 and above), which an OpenData-only project cannot use.'
          : `OS refused the credential: the key may be wrong, or its project may not include ${apiName}. It may also be Premium data, which an OpenData-only project cannot use.`,
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
        `OS accepted the request's identity but it lacks the rights for this data (for example Premium data or a data package not ordered).`,
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
    400: ['Bad request', `${apiName} could not use the request's parameters.`],
    404: ['Not found', `${apiName} has nothing at this path.`],
    405: ['Method not allowed', `${apiName} does not accept this HTTP method here.`],
    406: ['Not acceptable', `${apiName} cannot answer in the format the request asked for.`],
  };
  const client = clientErrors[status];
  if (client) {
    return {
      title: client[0],
      detail: withMessage(client[1], message),
      action: `Check the request against the ${apiName} technical specification on docs.os.uk.`,
    };
  }
  if (status >= 500 && status <= 599) {
    return {
      title: 'OS service error',
      detail: withMessage(`${apiName} had a problem on its side (HTTP ${status}); this is not caused by the key.`, message),
      action: 'Retry in a little while; if it persists, check the OS service status.',
    };
  }
  return {
    title: status > 0 ? `Request failed (HTTP ${status})` : 'Request failed',
    detail: withMessage(`${apiName} did not return a successful response.`, message),
    action: 'Check the request and retry.',
  };
}
