/** Service-worker entry point: the real browser, the real clock, the real network. */
import { realBrowser } from '../lib/browser';
import { startBackground } from './start-background';

startBackground(realBrowser(), {
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
  // The lock always uses PBKDF2_ITERATIONS here (no lockIterations).
  crypto: { subtle: crypto.subtle, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
  appVersion: () => chrome.runtime.getManifest().version,
  fetch: (url, init) => fetch(url, init),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
