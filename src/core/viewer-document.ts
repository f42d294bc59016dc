/**
 * The in-tab viewer's reading of an OS API response (issue 18): which documents it covers, what
 * kind of document a body is, and the text it shows (snippets, paths, pretty XML, keys redacted);
 * its features and paging are in viewer-features.ts. Pure and total: any input, however malformed,
 * gives an answer and never throws.
 */
import { OS_API_HOST } from './os-api';
import { REDACTED } from './os-api-classify';
import { parseUrl } from './viewer-features';

/**
 * The OS API paths whose top-level documents the viewer takes over: the JSON/XML APIs (NGD
 * Features, the Features API WFS, Names, Places, Linked Identifiers). Map tiles, styles and
 * downloads are left to the browser (a tile opened in a tab stays an image).
 */
export const VIEWER_PATH_PREFIXES = ['/features/', '/search/'] as const;

/** The same paths as a declarativeNetRequest `regexFilter` (RE2 syntax). */
export const VIEWER_URL_REGEX = `^https://${OS_API_HOST.replaceAll('.', '\\.')}/(features|search)/`;

/** Whether the viewer covers a top-level document at `url`. */
export function viewerCovers(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.hostname === OS_API_HOST &&
    parsed.port === '' &&
    VIEWER_PATH_PREFIXES.some((p) => parsed.pathname.startsWith(p))
  );
}

export type ViewerDocument =
  { kind: 'json'; value: unknown } | { kind: 'xml'; text: string } | { kind: 'text'; text: string };

/** What the body is: JSON if it parses, XML if it starts like XML, otherwise plain text. */
export function sniffDocument(text: string): ViewerDocument {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { kind: 'json', value: JSON.parse(trimmed) as unknown };
    } catch {
      return { kind: 'text', text };
    }
  }
  if (trimmed.startsWith('<')) return { kind: 'xml', text: trimmed };
  return { kind: 'text', text: typeof text === 'string' ? text : '' };
}

// ---- copy helpers ----------------------------------------------------------------------------

/** The URL without any `key` parameter (for code that relies on the extension to attach it). */
export function withoutKey(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed) return '';
  for (const name of [...parsed.searchParams.keys()])
    if (name.trim().toLowerCase() === 'key') parsed.searchParams.delete(name);
  parsed.hash = '';
  return parsed.href;
}

/**
 * "Copy as fetch": code for a page served from localhost (or an allowed site) that relies on the
 * extension for the credential, so it carries no key at all.
 */
export function fetchSnippet(url: string, kind: ViewerDocument['kind']): string {
  const body = kind === 'json' ? 'response.json()' : 'response.text()';
  return [
    '// OS API Keyring attaches the credential: no key in this code.',
    `const response = await fetch(${JSON.stringify(withoutKey(url))});`,
    'if (!response.ok) throw new Error(`OS API: HTTP ${response.status}`);',
    `const data = await ${body};`,
  ].join('\n');
}

/** A JavaScript-style path to a value: `features[0].properties["x-y"]`. */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Pretty XML (two-space indent) from a parsed document; used for OGC/WFS responses. */
export function prettyXml(text: string, parse: (t: string) => { ok: true; root: XmlNode } | { ok: false }): string {
  const parsed = parse(text);
  if (!parsed.ok) return text;
  const lines: string[] = [];
  const walk = (node: XmlNode, depth: number) => {
    const pad = '  '.repeat(depth);
    if (node.kind === 'text') {
      const t = node.text.trim();
      if (t) lines.push(pad + t);
      return;
    }
    const attrs = node.attributes
      .map(([k, v]) => ` ${k}="${v.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`)
      .join('');
    const texts = node.children.filter((c) => c.kind === 'text' && c.text.trim() !== '');
    if (node.children.length === 0) lines.push(`${pad}<${node.name}${attrs}/>`);
    else if (node.children.length === texts.length && texts.length === 1 && texts[0]?.kind === 'text') {
      lines.push(`${pad}<${node.name}${attrs}>${texts[0].text.trim()}</${node.name}>`);
    } else {
      lines.push(`${pad}<${node.name}${attrs}>`);
      for (const c of node.children) walk(c, depth + 1);
      lines.push(`${pad}</${node.name}>`);
    }
  };
  walk(parsed.root, 0);
  return lines.join('\n');
}

export type XmlNode =
  | { kind: 'text'; text: string }
  | { kind: 'element'; name: string; attributes: [string, string][]; children: XmlNode[] };

/**
 * Any `key` query parameter's value inside text (URLs in a body: OS echoes a query key into
 * links) replaced with the redaction marker, so the viewer never shows a key.
 */
export function redactKeysInText(text: string): string {
  return text.replace(/([?&](?:amp;)?key=)[^&"'\s<>\\]+/gi, `$1${REDACTED}`);
}
