/**
 * The bench's "local web map" server on http://127.0.0.1 (an initiator the extension serves).
 *   /tiles?n=&run=&key=  a page with n <img> tiles from api.os.uk; records in-page when all have fired load/error
 *   /echo                a page that can fetch https://api.os.uk/__echo continuously and log what came back
 *   /poll                a page that fetches https://api.os.uk/__echo one at a time, pausing between them
 */
import { createServer } from 'node:http';

export const TILE_BASE = 'https://api.os.uk/maps/raster/v1/zxy/Road_3857';
/** z 12 around Southampton; below z 17, so a non-Premium project may load it (the mock answers 401 from z 17 up). */
const Z = 12;
const X0 = 2000;
const Y0 = 1370;
const COLUMNS = 20;

/** The n tile URLs of one page load, each carrying the run id (and the key, for variant B). */
export function tileUrls(n, run, key) {
  const urls = [];
  for (let i = 0; i < n; i++) {
    const x = X0 + (i % COLUMNS);
    const y = Y0 + Math.floor(i / COLUMNS);
    urls.push(
      `${TILE_BASE}/${Z}/${x}/${y}.png?${key ? `key=${encodeURIComponent(key)}&` : ''}r=${encodeURIComponent(run)}`,
    );
  }
  return urls;
}

// Runs before any <img> is parsed: capture-phase listeners on document see every image's load/error.
// performance.now() counts from the navigation start of this page.
const TILE_SCRIPT = `
window.__bench = { n: 0, loaded: 0, failed: 0, done: null };
function __onImg(e) {
  if (!(e.target instanceof HTMLImageElement)) return;
  const b = window.__bench;
  if (e.type === 'load') b.loaded++; else b.failed++;
  if (b.loaded + b.failed === b.n && b.done === null) b.done = performance.now();
}
document.addEventListener('load', __onImg, true);
document.addEventListener('error', __onImg, true);`;

function tilesPage(n, run, key) {
  const imgs = tileUrls(n, run, key)
    .map((u) => `<img src="${u.replace(/&/g, '&amp;')}" width="16" height="16" alt="">`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tiles ${run}</title>
<script>${TILE_SCRIPT}\nwindow.__bench.n = ${n};</script>
<style>body{margin:0;line-height:0}img{display:inline-block}</style></head><body>${imgs}</body></html>`;
}

// Each loop awaits its previous fetch (no timers: background tabs throttle timers, not promises).
const ECHO_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>echo</title><script>
window.__echo = { running: false, seq: 0, log: [] };
async function __loop() {
  const e = window.__echo;
  while (e.running) {
    const id = ++e.seq;
    const sent = Date.now();
    try {
      const res = await fetch('https://api.os.uk/__echo?s=' + id, { cache: 'no-store' });
      const body = await res.json();
      e.log.push({ id, sent, status: res.status, key: (body && body.headers && body.headers.key) || null });
    } catch (err) {
      e.log.push({ id, sent, status: 0, key: null });
    }
  }
}
window.startEcho = (loops) => { window.__echo.running = true; for (let i = 0; i < loops; i++) __loop(); };
window.stopEcho = () => { window.__echo.running = false; };
window.drainEcho = () => window.__echo.log.splice(0);
</script></head><body>echo</body></html>`;

// Steady load for token continuity: one fetch at a time, `gapMs` after the previous one answered.
// A timer paces it, so the bench keeps this tab in front (background tabs throttle timers).
const POLL_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>poll</title><script>
window.__poll = { running: false, seq: 0, sent: 0, ok: 0, failed: 0, statuses: {}, first: null, last: null, done: null };
window.startPoll = (gapMs) => {
  const p = window.__poll;
  p.running = true;
  p.done = (async () => {
    while (p.running) {
      const id = ++p.seq;
      const at = Date.now();
      if (p.first === null) p.first = at;
      p.last = at;
      p.sent++;
      let status = 0;
      try {
        const res = await fetch('https://api.os.uk/__echo?poll=' + id, { cache: 'no-store' });
        status = res.status;
        await res.arrayBuffer();
      } catch (err) {
        status = 0;
      }
      if (status === 200) p.ok++; else p.failed++;
      p.statuses[status] = (p.statuses[status] || 0) + 1;
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
};
window.stopPoll = async () => {
  const p = window.__poll;
  p.running = false;
  await p.done;
  return { sent: p.sent, ok: p.ok, failed: p.failed, statuses: p.statuses, first: p.first, last: p.last };
};
</script></head><body>poll</body></html>`;

export async function startBenchPages() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body = '<!doctype html><title>bench</title>';
    if (url.pathname === '/tiles') {
      body = tilesPage(
        Number(url.searchParams.get('n') ?? 0),
        url.searchParams.get('run') ?? '',
        url.searchParams.get('key') ?? '',
      );
    } else if (url.pathname === '/echo') {
      body = ECHO_PAGE;
    } else if (url.pathname === '/poll') {
      body = POLL_PAGE;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  const port = await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((r) => server.close(r)),
  };
}
