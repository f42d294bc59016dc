// OS Downloads API (os-apis.md §1.12). OpenData products are public; data packages need auth.
// Single-file downloads answer 307 to a pre-signed blob URL on another host (blob.test here,
// *.blob.core.windows.net for real), which is exactly where a leaked key/Bearer would show.
import { randomBytes } from 'node:crypto';
import { apiError, json, type Reply } from './reply';
import { API_ORIGIN, type Route, type RouteCtx } from './routing';

/** Host that stands in for Azure Blob Storage; e2e maps it to the mock, which echoes requests. */
export const BLOB_HOST = 'blob.test';
const BASE = `${API_ORIGIN}/downloads/v1`;

interface FileEntry {
  fileName: string;
  format: string;
  area: string;
  size: number;
  md5: string;
}
const PRODUCTS: Record<string, { name: string; version: string; files: FileEntry[] }> = {
  OpenZoomstack: {
    name: 'OS Open Zoomstack',
    version: '2026-01',
    files: [
      {
        fileName: 'OS_Open_Zoomstack.gpkg.zip',
        format: 'GeoPackage',
        area: 'GB',
        size: 1_617_297_581,
        md5: '5f3c0b7c0d7d0c6f4d3b0e5c8a1f2e3d',
      },
      {
        fileName: 'OS_Open_Zoomstack_vt.zip',
        format: 'Vector Tiles',
        area: 'GB',
        size: 1_021_755_012,
        md5: '9a8b7c6d5e4f30211f2e3d4c5b6a7988',
      },
    ],
  },
  BoundaryLine: {
    name: 'Boundary-Line',
    version: '2025-10',
    files: [
      {
        fileName: 'bdline_gpkg_gb.zip',
        format: 'GeoPackage',
        area: 'GB',
        size: 612_000_123,
        md5: '0123456789abcdef0123456789abcdef',
      },
    ],
  },
};
const PACKAGES: Record<string, { name: string; versions: Record<string, FileEntry[]> }> = {
  '0040154231': {
    name: 'Mock MasterMap package',
    versions: {
      '5500114558': [
        {
          fileName: 'mastermap_topo_part1.zip',
          format: 'GML',
          area: 'SU',
          size: 12_345_678,
          md5: 'fedcba9876543210fedcba9876543210',
        },
      ],
    },
  },
};

/**
 * 307 to a SAS-style blob URL with the headers captured from the real API. `se` is one hour
 * ahead and the signature is random, like a fresh pre-signed link.
 */
function blobRedirect(ctx: RouteCtx, blobPath: string): Reply {
  const se = new Date(ctx.now + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const sas = new URLSearchParams({ sv: '2019-07-07', se, sr: 'b', sp: 'r', sig: randomBytes(32).toString('base64') });
  return {
    status: 307,
    headers: {
      Location: `https://${BLOB_HOST}/downloads/${blobPath}?${sas}`,
      'Content-Type': 'application/json;charset=UTF-8',
      'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    },
  };
}

const notFound = (what: string) =>
  apiError('downloads', 404, `${what} not found. See ${BASE}/products for the list of products.`);

function productJson(id: string) {
  const p = PRODUCTS[id];
  return (
    p && {
      id,
      name: p.name,
      version: p.version,
      url: `${BASE}/products/${id}`,
      downloadsUrl: `${BASE}/products/${id}/downloads`,
    }
  );
}

function productDownloads(ctx: RouteCtx): Reply {
  const id = ctx.params[0] ?? '';
  const p = PRODUCTS[id];
  if (!p) return notFound(`Product '${id}'`);
  const q = ctx.query;
  const files = p.files.filter(
    (f) =>
      (!q.get('fileName') || f.fileName === q.get('fileName')) &&
      (!q.get('format') || f.format === q.get('format')) &&
      (!q.get('area') || f.area === q.get('area')),
  );
  // `redirect` (present, any value) with exactly one match → straight to the file.
  const only = files[0];
  if (q.has('redirect') && files.length === 1 && only) return blobRedirect(ctx, `${id}/${p.version}/${only.fileName}`);
  return json(
    200,
    files.map((f) => ({
      ...f,
      url: `${BASE}/products/${id}/downloads?area=${f.area}&format=${encodeURIComponent(f.format)}&fileName=${f.fileName}&redirect`,
    })),
  );
}

function packageJson(id: string) {
  const p = PACKAGES[id];
  return (
    p && {
      id,
      name: p.name,
      url: `${BASE}/dataPackages/${id}`,
      versions: Object.keys(p.versions).map((v) => ({ id: v, url: `${BASE}/dataPackages/${id}/versions/${v}` })),
    }
  );
}

/** Resolve `{id}/versions/{v|latest}`; returns the files or a 404 reply. */
function packageVersion(ctx: RouteCtx): { id: string; version: string; files: FileEntry[] } | Reply {
  const [id = '', v = ''] = ctx.params;
  const p = PACKAGES[id];
  if (!p) return notFound(`Data package '${id}'`);
  const version = v === 'latest' ? (Object.keys(p.versions).at(-1) ?? '') : v;
  const files = p.versions[version];
  if (!files) return notFound(`Version '${v}' of data package '${id}'`);
  return { id, version, files };
}

function versionJson(ctx: RouteCtx): Reply {
  const r = packageVersion(ctx);
  if ('status' in r) return r;
  return json(200, {
    id: r.version,
    url: `${BASE}/dataPackages/${r.id}/versions/${r.version}`,
    supplyType: 'Full',
    format: r.files[0]?.format,
    downloads: r.files.map((f) => ({
      fileName: f.fileName,
      size: f.size,
      md5: f.md5,
      url: `${BASE}/dataPackages/${r.id}/versions/${r.version}/downloads?fileName=${f.fileName}`,
    })),
  });
}

function packageDownload(ctx: RouteCtx): Reply {
  const r = packageVersion(ctx);
  if ('status' in r) return r;
  const fileName = ctx.query.get('fileName');
  if (!fileName) return apiError('downloads', 400, "Query parameter 'fileName' is required.");
  if (!r.files.some((f) => f.fileName === fileName)) return notFound(`File '${fileName}'`);
  return blobRedirect(ctx, `dataPackages/${r.id}/${r.version}/${fileName}`);
}

const GET = ['GET'] as const;
const D = '^/downloads/v1';
export const DOWNLOADS_ROUTES: Route[] = [
  {
    api: 'downloads',
    methods: GET,
    public: true,
    pattern: new RegExp(`${D}/products$`),
    handle: () => json(200, Object.keys(PRODUCTS).map(productJson)),
  },
  {
    api: 'downloads',
    methods: GET,
    public: true,
    pattern: new RegExp(`${D}/products/([^/]+)$`),
    handle: (c) => {
      const p = productJson(c.params[0] ?? '');
      return p ? json(200, p) : notFound(`Product '${c.params[0] ?? ''}'`);
    },
  },
  {
    api: 'downloads',
    methods: GET,
    public: true,
    pattern: new RegExp(`${D}/products/([^/]+)/downloads$`),
    handle: productDownloads,
  },
  {
    api: 'downloads',
    methods: GET,
    pattern: new RegExp(`${D}/dataPackages$`),
    handle: () => json(200, Object.keys(PACKAGES).map(packageJson)),
  },
  {
    api: 'downloads',
    methods: GET,
    pattern: new RegExp(`${D}/dataPackages/([^/]+)$`),
    handle: (c) =>
      PACKAGES[c.params[0] ?? '']
        ? json(200, packageJson(c.params[0] ?? ''))
        : notFound(`Data package '${c.params[0] ?? ''}'`),
  },
  {
    api: 'downloads',
    methods: GET,
    pattern: new RegExp(`${D}/dataPackages/([^/]+)/versions$`),
    handle: (c) => {
      const p = packageJson(c.params[0] ?? '');
      return p ? json(200, p.versions) : notFound(`Data package '${c.params[0] ?? ''}'`);
    },
  },
  {
    api: 'downloads',
    methods: GET,
    pattern: new RegExp(`${D}/dataPackages/([^/]+)/versions/([^/]+)$`),
    handle: versionJson,
  },
  {
    api: 'downloads',
    methods: GET,
    pattern: new RegExp(`${D}/dataPackages/([^/]+)/versions/([^/]+)/downloads$`),
    handle: packageDownload,
  },
];
