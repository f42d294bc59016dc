// The built manifests (dist/chrome and dist/firefox, written by `npm run build`) against the
// README's permissions table and security promises. A permission, host or content script added to
// the manifest fails here until the table says why; a row added to the table fails here until the
// manifest has it. `npm test` builds before it runs the tests.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

interface BuiltManifest {
  manifest_version: number;
  minimum_chrome_version?: string;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  content_scripts?: unknown[];
  web_accessible_resources?: unknown[];
  externally_connectable?: unknown;
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  browser_specific_settings?: {
    gecko?: { id?: string; strict_min_version?: string; data_collection_permissions?: unknown };
  };
  [key: string]: unknown;
}

function built(target: 'chrome' | 'firefox'): BuiltManifest {
  const path = join(root, 'dist', target, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does).`);
  return JSON.parse(readFileSync(path, 'utf8')) as BuiltManifest;
}

/** The markdown files that may hold the permissions section (the README, or a docs/ page it moved to). */
function markdownFiles(): string[] {
  const docs = join(root, 'docs');
  return [
    join(root, 'README.md'),
    ...readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(docs, f)),
  ];
}

/** The permissions table: the first markdown table whose header starts `| Permission |`. */
function permissionsTable(): { file: string; rows: string[]; text: string } {
  for (const file of markdownFiles()) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^\|\s*Permission\s*\|/.test(l));
    if (start < 0) continue;
    const rows: string[] = [];
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(line.split('|')[1]?.trim() ?? '');
    }
    return { file, rows, text };
  }
  throw new Error('No "| Permission | Why |" table in README.md or docs/*.md');
}

/** What the table's first column declares: `storage`, optional `notifications`, host(s) `…`, optional host(s) `…`. */
function declared(): {
  permissions: string[];
  optionalPermissions: string[];
  hosts: string[];
  optionalHosts: string[];
} {
  const out = {
    permissions: [] as string[],
    optionalPermissions: [] as string[],
    hosts: [] as string[],
    optionalHosts: [] as string[],
  };
  for (const cell of permissionsTable().rows) {
    const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    const kind = cell
      .replace(/`[^`]+`/g, '')
      .replace(/[,\s]+/g, ' ')
      .trim();
    if (kind === '') out.permissions.push(...names);
    else if (kind === 'optional') out.optionalPermissions.push(...names);
    else if (/^hosts?$/.test(kind)) out.hosts.push(...names);
    else if (/^optional hosts?$/.test(kind)) out.optionalHosts.push(...names);
    else throw new Error(`Permissions table: cannot read the row "${cell}"`);
  }
  return out;
}

const sorted = (list: readonly string[] = []) => [...list].sort();

/** A CSP string as directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

describe.each(['chrome', 'firefox'] as const)('the built %s manifest', (target) => {
  const manifest = built(target);
  const table = declared();

  it('asks for exactly the permissions the README table lists, and no more', () => {
    expect(sorted(manifest.permissions)).toEqual(sorted(table.permissions));
    expect(sorted(manifest.optional_permissions)).toEqual(sorted(table.optionalPermissions));
  });

  it('has exactly the host permissions the table lists; every other site is optional, asked one at a time', () => {
    expect(sorted(manifest.host_permissions)).toEqual(sorted(table.hosts));
    expect(sorted(manifest.optional_host_permissions)).toEqual(sorted(table.optionalHosts));
    // The wildcard never moves into host_permissions (that would grant every site at install).
    for (const host of manifest.host_permissions ?? []) expect(host).not.toMatch(/^(\*|https?):\/\/\*/);
    expect(manifest.host_permissions).not.toContain('<all_urls>');
  });

  it('keeps the strict content security policy the README promises', () => {
    const csp = manifest.content_security_policy?.extension_pages;
    expect(csp).toBeDefined();
    const d = directives(csp ?? '');
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]); // no inline, no eval, no remote code
    expect(d.get('connect-src')).toEqual(["'self'", 'https://api.os.uk']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const sources of d.values())
      for (const s of sources) expect(s).not.toMatch(/unsafe|^https?:\/\/(?!api\.os\.uk$)|^\*$|^https?:$/);
    const { text } = permissionsTable();
    expect(text).toContain("`default-src 'self'`");
    expect(text).toMatch(/connections only to itself and `https:\/\/api\.os\.uk`/);
  });

  it("has only the response viewer's content script, its modules web-accessible to api.os.uk alone, and no external connections, as the README says", () => {
    const { text } = permissionsTable();
    expect(text).toMatch(
      /One content script \(the response viewer, on `https:\/\/api\.os\.uk\/features\/\*` and `\/search\/\*` documents only/,
    );
    expect(text).toMatch(/no `externally_connectable`/);
    // The one content script #18 adds on purpose: api.os.uk's feature and search documents, top frame only.
    const scripts = (manifest.content_scripts ?? []) as { matches?: string[]; all_frames?: boolean; world?: string }[];
    expect(scripts).toHaveLength(1);
    expect(sorted(scripts[0]?.matches)).toEqual(['https://api.os.uk/features/*', 'https://api.os.uk/search/*']);
    expect(scripts[0]?.all_frames ?? false).toBe(false);
    expect(scripts[0]?.world ?? 'ISOLATED').toBe('ISOLATED');
    // crxjs loads the viewer's modules through web_accessible_resources: only api.os.uk pages may load them.
    const resources = (manifest.web_accessible_resources ?? []) as { matches?: string[] }[];
    for (const entry of resources) for (const match of entry.matches ?? []) expect(match).toBe('https://api.os.uk/*');
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.content_security_policy?.sandbox).toBeUndefined();
  });

  it('has only the top-level entries reviewed here (a new one fails until this test and the README cover it)', () => {
    const common = [
      'action',
      'background',
      'commands',
      'content_scripts',
      'content_security_policy',
      'declarative_net_request',
      'description',
      'devtools_page',
      'host_permissions',
      'icons',
      'manifest_version',
      'name',
      'optional_host_permissions',
      'optional_permissions',
      'options_ui',
      'permissions',
      'version',
      'web_accessible_resources',
    ];
    const own = target === 'chrome' ? ['minimum_chrome_version'] : ['browser_specific_settings'];
    expect(sorted(Object.keys(manifest))).toEqual(sorted([...common, ...own]));
    expect(manifest.manifest_version).toBe(3);
  });

  it('states the minimum browser version the README gives', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    if (target === 'chrome') {
      expect(manifest.minimum_chrome_version).toBe('121');
      expect(readme).toContain(`Chromium, Edge (${manifest.minimum_chrome_version ?? ''} or newer)`);
      expect(manifest.background).toMatchObject({ service_worker: expect.any(String), type: 'module' });
    } else {
      const gecko = manifest.browser_specific_settings?.gecko;
      expect(gecko).toMatchObject({
        id: 'os-api-keyring@example.org',
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      });
      expect(readme).toContain(`Firefox (${(gecko?.strict_min_version ?? '').replace(/\.0$/, '')} or newer`);
      expect(manifest.background?.scripts).toHaveLength(1);
    }
  });
});
