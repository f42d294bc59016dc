// Serves the web-map examples on localhost: the pages in this folder, and under /vendor/ the
// browser builds of the pinned npm packages they use (Leaflet, OpenLayers, proj4, MapLibre GL JS).
// There is no API key anywhere here: the OS API Keyring extension adds the active project's key to
// the pages' requests for https://api.os.uk.
//
//   npm run examples                 # http://localhost:5180/
//   EXAMPLES_PORT=8080 npm run examples
//
// Node built-ins only, so it starts instantly; tests and `npm run demo` import startExamplesServer.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const NODE_MODULES = resolve(HERE, '../node_modules');

/** npm packages the pages may load from /vendor/<name>/…: only these, only files of these types. */
export const VENDOR_PACKAGES = ['leaflet', 'ol', 'proj4', 'maplibre-gl'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** `root` joined with the URL path `rel`, or null if it would leave `root` or is not a served file type. */
function within(root, rel) {
  const file = resolve(root, `.${rel.startsWith('/') ? rel : `/${rel}`}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  if (!(extname(file) in TYPES)) return null;
  return file;
}

function resolvePath(pathname) {
  if (pathname.startsWith('/vendor/')) {
    const [, , pkg = '', ...rest] = pathname.split('/');
    if (!VENDOR_PACKAGES.includes(pkg)) return null;
    return within(join(NODE_MODULES, pkg), rest.join('/'));
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  // The server itself and its type declarations are not for the browser.
  if (/^\/server\./.test(pathname)) return null;
  return within(HERE.replace(/[\\/]$/, ''), pathname);
}

function handle(req, res) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end('Bad request');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end('Method not allowed');
    return;
  }
  // /leaflet → /leaflet/, so that the page's relative URLs resolve inside its folder.
  if (/^\/[a-z-]+$/.test(pathname) && existsSync(join(HERE, pathname, 'index.html'))) {
    res.writeHead(301, { Location: `${pathname}/` }).end();
    return;
  }
  const file = resolvePath(pathname);
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}`);
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)], 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

function listen(server, host, port) {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePort(server.address().port);
    });
  });
}

/**
 * Start the examples server on 127.0.0.1 and, on the same port, [::1], so that
 * http://localhost:<port>/ works whichever address the browser picks for "localhost".
 * @param {{ port?: number }} [options] port 0 (the default) picks a free one
 */
export async function startExamplesServer(options = {}) {
  const v4 = createServer(handle);
  const port = await listen(v4, '127.0.0.1', options.port ?? 0);
  const v6 = createServer(handle);
  const hasV6 = await listen(v6, '::1', port).then(() => true, () => false);
  return {
    port,
    url: (path = '/') => `http://localhost:${port}${path}`,
    close: async () => {
      v4.closeAllConnections();
      await new Promise((r) => v4.close(r));
      if (hasV6) {
        v6.closeAllConnections();
        await new Promise((r) => v6.close(r));
      }
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.EXAMPLES_PORT ?? 5180);
  const server = await startExamplesServer({ port }).catch((err) => {
    console.error(`Could not listen on port ${port}: ${err.message}. Set EXAMPLES_PORT to another port.`);
    process.exit(1);
  });
  console.log(`Web-map examples on ${server.url('/')}`);
  for (const name of ['leaflet', 'openlayers', 'maplibre']) console.log(`  ${server.url(`/${name}/`)}`);
  console.log('They contain no API key: turn on OS API Keyring with a project active (or use `npm run demo`).');
  console.log('Ctrl+C stops the server.');
  // Close open (keep-alive) connections and exit at once. npm runs this as `exec node …` so the
  // signal npm passes on reaches this process, not a shell that would wait for it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      void server.close().then(() => {
        console.log('Stopped the examples server.');
        process.exit(0);
      });
    });
  }
}
