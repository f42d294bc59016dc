/**
 * 4. Popup: bytes shipped (from dist/chrome) and time to an interactive view.
 *
 * Size: the popup HTML's <script src>, <link rel=stylesheet> and <link rel=modulepreload>, plus
 * every file those import (static `import … from`, bare `import "…"`, dynamic `import("…")`,
 * CSS @import and url()), each counted once. gzip = zlib level 9 per file, summed.
 *
 * Time: the popup page is opened in a new tab (the toolbar popup cannot be clicked headless). An
 * init script, which runs before the page's own scripts, watches the DOM with a MutationObserver
 * and records performance.now() (ms since navigation start) the first time a button labelled
 * "Add project" is in the document and not disabled: the popup has its state from the background
 * and is usable. It also records the start of the next animation frame after that (first frame
 * that can show it).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAIN_DIR, POPUP_PATH } from '../lib/browser.mjs';
import { median, percentile, withTimeout } from '../lib/stats.mjs';

export function popupSize(distDir = MAIN_DIR) {
  const html = readFileSync(join(distDir, POPUP_PATH), 'utf8');
  const entry = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) entry.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g))
    entry.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g))
    entry.push(m[1]);
  const toFile = (ref, fromFile) => (ref.startsWith('/') ? join(distDir, ref) : resolve(dirname(fromFile), ref));
  const seen = new Set();
  const queue = entry.map((r) => toFile(r, join(distDir, POPUP_PATH)));
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const refs = file.endsWith('.css')
      ? [
          ...text.matchAll(/@import\s+(?:url\()?["']?([^"')\s;]+)/g),
          ...text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g),
        ].map((m) => m[1])
      : [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.(?:js|mjs|css))["']/g)].map((m) => m[1]);
    for (const ref of refs) if (!/^(data:|https?:|#)/.test(ref)) queue.push(toFile(ref, file));
  }
  const files = [...seen].map((f) => {
    const buf = readFileSync(f);
    return {
      file: relative(distDir, f),
      kind: f.endsWith('.css') ? 'css' : f.endsWith('.js') ? 'js' : 'other',
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
    };
  });
  const sum = (kind, k) => files.filter((f) => !kind || f.kind === kind).reduce((a, f) => a + f[k], 0);
  return {
    files,
    js: { raw: sum('js', 'raw'), gzip: sum('js', 'gzip') },
    css: { raw: sum('css', 'raw'), gzip: sum('css', 'gzip') },
    total: { raw: sum(null, 'raw'), gzip: sum(null, 'gzip') },
  };
}

function watchInteractive() {
  const rec = { interactive: null, frame: null };
  let finish;
  // A promise the bench awaits (no polling inside the measured page).
  window.__popupTiming = new Promise((r) => (finish = r));
  const ready = () => {
    for (const b of document.querySelectorAll('button'))
      if (b.textContent?.trim() === 'Add project' && !b.disabled) return true;
    return false;
  };
  const obs = new MutationObserver(() => {
    if (rec.interactive !== null || !ready()) return;
    rec.interactive = performance.now();
    obs.disconnect();
    requestAnimationFrame(() => {
      rec.frame = performance.now();
      finish(rec);
    });
  });
  obs.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}

/** Open the popup `runs` times, each in a fresh tab; the first (cold) run is reported apart. */
export async function popupTiming(browser, { runs }) {
  const interactive = [];
  const frame = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(watchInteractive);
    await page.goto(browser.popupUrl);
    const t = await withTimeout(
      page.evaluate(() => window.__popupTiming),
      10_000,
      'popup interactive',
    );
    await page.close();
    interactive.push(t.interactive);
    frame.push(t.frame);
  }
  return {
    runs,
    median: median(interactive),
    p95: percentile(interactive, 95),
    firstRun: interactive[0],
    frameMedian: median(frame),
    all: interactive,
  };
}
