/** Service-worker entry point: the real browser, the real clock. */
import { realBrowser } from '../lib/browser';
import { startBackground } from './start-background';

startBackground(realBrowser(), {
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
});
