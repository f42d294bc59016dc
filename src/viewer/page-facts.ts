/**
 * What the viewer reads from the page it took over: the XML parsed by the browser, the document's
 * own load timing, and whether its URL carries a `key` (query mode puts it in the address bar).
 */
import type { XmlNode } from '../core/viewer-document';

export function parseXml(text: string): { ok: true; root: XmlNode } | { ok: false } {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.querySelector('parsererror')) return { ok: false };
  const convert = (n: Node): XmlNode | null => {
    if (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.CDATA_SECTION_NODE)
      return { kind: 'text', text: n.textContent ?? '' };
    if (n.nodeType !== Node.ELEMENT_NODE) return null;
    const el = n as Element;
    return {
      kind: 'element',
      name: el.tagName,
      attributes: [...el.attributes].map((a) => [a.name, a.value]),
      children: [...el.childNodes].map(convert).filter((c): c is XmlNode => c !== null),
    };
  };
  const root = convert(doc.documentElement);
  return root ? { ok: true, root } : { ok: false };
}

/** Status, size and time of the document's own load, as the browser measured it. */
export function navigationTiming(): { status: number | null; bytes: number | null; ms: number | null } {
  const nav = performance.getEntriesByType('navigation')[0] as
    (PerformanceNavigationTiming & { responseStatus?: number }) | undefined;
  if (!nav) return { status: null, bytes: null, ms: null };
  return {
    status: nav.responseStatus && nav.responseStatus > 0 ? nav.responseStatus : null,
    bytes: nav.decodedBodySize > 0 ? nav.decodedBodySize : null,
    ms: nav.responseEnd > 0 ? Math.round(nav.responseEnd - nav.startTime) : null,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Whether the URL has a `key` query parameter (any case, spaces around the name ignored). */
export function hasKeyParam(url: string): boolean {
  try {
    return [...new URL(url).searchParams.keys()].some((k) => k.trim().toLowerCase() === 'key');
  } catch {
    return false;
  }
}
