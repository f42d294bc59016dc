/**
 * Plain-HTTP servers standing in for a developer's local web-map server (on 127.0.0.1, [::1] and
 * "localhost") and for an unrelated website (other.test, mapped to 127.0.0.1 by the resolver
 * rules). Each serves an empty page; tests drive fetch/img/iframe from it with page.evaluate, so
 * the initiator is the page's origin exactly as for a real web map.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  port: number;
  /** `http://<host>:<port>/` for a host name or IP literal (use "[::1]" for IPv6). */
  url(host: string, path?: string): string;
  close(): Promise<void>;
}

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test page</title></head><body><h1>test page</h1></body></html>';

/**
 * /sw.js: a service worker that fetches the URL a page posts to it and answers with the status, so
 * a test can make a request that belongs to no tab (tab id -1) as a web map's worker would.
 */
const SERVICE_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => {
  e.waitUntil(fetch(e.data.url).then((r) => ({ status: r.status }), (err) => ({ error: String(err) })).then((reply) => e.source.postMessage(reply)));
});
`;

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startPageServer(): Promise<PageServer> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://page');
    if (url.pathname === '/sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(SERVICE_WORKER);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    // /meta-refresh?to=<url>: a page that sends the browser on with <meta http-equiv="refresh">.

    const to = url.pathname === '/meta-refresh' ? url.searchParams.get('to') : null;
    res.end(
      to ? PAGE.replace('<title>', `<meta http-equiv="refresh" content="0;url=${escapeAttribute(to)}"><title>`) : PAGE,
    );
  };
  const v4 = createServer(handler);
  const port = await listen(v4, '127.0.0.1', 0);
  // Same port on IPv6 loopback, so http://[::1]:port/ and http://localhost:port/ both work.
  const v6 = createServer(handler);
  let hasV6 = true;
  await listen(v6, '::1', port).catch(() => {
    hasV6 = false;
  });
  return {
    port,
    url: (host, path = '/') => `http://${host}:${port}${path}`,
    close: async () => {
      await new Promise((r) => v4.close(r));
      if (hasV6) await new Promise((r) => v6.close(r));
    },
  };
}
