/**
 * The error code and message of a failed OS API response, from any of its body shapes
 * (docs/os-apis.md §0, §3.2), scrubbed so a key or token is never echoed into the UI or the log.
 */
import { redactUrl } from './os-api-classify';

/** Fields of the OS error body shapes that matter here (§3.2); all optional. */
export interface ParsedBody {
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
