// Route table types and matching, shared by the routes-*.ts files.
import type { Credential, GatedProject } from './auth';
import type { ApiName } from './classify';
import type { Reply } from './reply';

export const API_ORIGIN = 'https://api.os.uk';

export interface RouteCtx {
  method: string;
  path: string;
  /** Path and query exactly as received. */
  url: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** Capture groups of the route pattern, URL-decoded. */
  params: string[];
  /** The authenticated project; null on public routes. */
  project: GatedProject | null;
  credential: Credential;
  now: number;
}

export interface Route {
  /** null only for test-only routes (/__echo). */
  api: ApiName | null;
  methods: readonly string[];
  pattern: RegExp;
  /** OpenData routes OS serves without a key (mock requirement 3). */
  public?: boolean;
  handle: (ctx: RouteCtx) => Reply;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: string[] }
  | { kind: 'wrong-method'; route: Route; allowed: string[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  let first: Route | undefined;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.methods.includes(method)) {
      return { kind: 'found', route, params: m.slice(1).map((s) => safeDecode(s ?? '')) };
    }
    first ??= route;
    allowed.push(...route.methods);
  }
  return first ? { kind: 'wrong-method', route: first, allowed } : { kind: 'none' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * `?key=<k>` (or `&key=` with sep '&') when the caller authenticated with the query parameter,
 * else ''. OS echoes a query key into URLs inside capabilities/metadata/styles so that tile
 * clients keep working; header and Bearer callers get clean URLs (os-apis.md §1.4).
 */
export function keyEcho(ctx: RouteCtx, sep: '?' | '&' = '?'): string {
  const key = ctx.query.get('key');
  return key ? `${sep}key=${encodeURIComponent(key)}` : '';
}

/** Parse a non-negative integer path/query value, or null. */
export function int(s: string | null | undefined): number | null {
  return s != null && /^\d{1,9}$/.test(s) ? Number(s) : null;
}

/** KVP parameters with lower-cased names (OGC parameter names are case-insensitive). */
export function kvp(query: URLSearchParams): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of query) if (!m.has(k.toLowerCase())) m.set(k.toLowerCase(), v);
  return m;
}
