/**
 * 2. Switch latency. A page on 127.0.0.1 keeps `loops` fetches to https://api.os.uk/__echo in
 * flight at all times (each loop sends the next as soon as the previous answers). In the real
 * popup (a tab), the radio of the other project is clicked with a real (CDP) mouse click.
 * Latency = arrival time at the mock (Date.now() when the request reached it) of the first request
 * carrying the new key, minus Date.now() in the popup when the click event was dispatched
 * (capture listener). Both are the same machine's wall clock, 1 ms resolution.
 */
import { median, percentile, sleep } from '../lib/stats.mjs';
import { clickActive } from '../lib/popup-ui.mjs';
import { KEY_A, KEY_B, PROJECT_A, PROJECT_B } from '../lib/session.mjs';

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchSwitch(s, { switches, loops = 4 }) {
  await s.activate(PROJECT_A);
  const page = await s.browser.context.newPage();
  await page.goto(s.pages.url('/echo'));
  const popup = await s.popup();
  await popup.bringToFront();
  await popup.evaluate(() => {
    window.__clicks = [];
    document.addEventListener('click', () => window.__clicks.push(Date.now()), true);
  });
  s.mock.clear();
  await page.evaluate((n) => window.startEcho(n), loops);
  await sleep(300);

  const latencies = [];
  /** Cross-check from the page's side: first fetch() call that came back with the new key, minus the click. */
  const sendLatencies = [];
  const log = [];
  const problems = [];
  let current = PROJECT_A;
  for (let i = 0; i < switches; i++) {
    const target = current === PROJECT_A ? PROJECT_B : PROJECT_A;
    const key = target === PROJECT_A ? KEY_A : KEY_B;
    const from = s.mock.requests.length;
    await clickActive(popup, target);
    const clickAt = await popup.evaluate(() => window.__clicks.at(-1));
    const first = await s.mock.waitForRequest((r) => r.path === '/__echo' && r.credential.value === key, 5_000);
    latencies.push(first.time - clickAt);
    // Let the switch finish (popup shows it) and let traffic run on the new key for a while.
    if (!(await s.waitForRules(target))) throw new Error(`rules did not follow switch ${i + 1}`);
    await sleep(120 + Math.random() * 80);
    const during = s.mock.requests.slice(from).filter((r) => r.path === '/__echo');
    const entries = await page.evaluate(() => window.drainEcho());
    log.push(...entries);
    const sentNew = entries.filter((e) => e.key === key && e.sent >= clickAt - 1000).map((e) => e.sent);
    if (sentNew.length) sendLatencies.push(Math.min(...sentNew) - clickAt);
    const bad = during.filter(
      (r) => r.credential.source !== 'header' || (r.credential.value !== KEY_A && r.credential.value !== KEY_B),
    );
    if (bad.length) problems.push(`switch ${i + 1}: ${bad.length} echo request(s) without a bench key`);
    s.mock.clear();
    current = target;
  }
  await page.evaluate(() => window.stopEcho());
  log.push(...(await page.evaluate(() => window.drainEcho())));
  await page.close();

  // Request rate during the run, and the gap between consecutive arrivals (the measurement's resolution).
  const sent = log.map((e) => e.sent);
  const spanS = (Math.max(...sent) - Math.min(...sent)) / 1000;
  const failed = log.filter((e) => e.status !== 200).length;
  if (failed) problems.push(`${failed} echo fetches did not answer 200`);
  return {
    switches,
    loops,
    problems,
    median: median(latencies),
    p95: percentile(latencies, 95),
    max: Math.max(...latencies),
    min: Math.min(...latencies),
    requestsPerSecond: log.length / spanS,
    bySend: { median: median(sendLatencies), p95: percentile(sendLatencies, 95) },
    latencies,
  };
}
