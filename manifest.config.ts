/**
 * One manifest, two browsers. `manifest.json` is the base (and exactly the Chrome manifest);
 * `manifestFor('firefox')` derives Firefox's from it. vite.config.ts picks the target from Vite's
 * `--mode` (`chrome`, the default, or `firefox`), and @crxjs/vite-plugin then writes the final
 * `background` entry for that browser (a service worker for Chrome, `background.scripts` for
 * Firefox). docs/firefox.md explains the Firefox choices.
 */
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import base from './manifest.json' with { type: 'json' };

export type Target = 'chrome' | 'firefox';

type Manifest = Exclude<ManifestV3Export, ((...args: never[]) => unknown) | Promise<unknown>>;

/**
 * The add-on ID Firefox knows the extension by (storage, permissions and updates are tied to it;
 * it can never change once published on addons.mozilla.org).
 */
export const GECKO_ID = 'os-api-keyring@example.org';

/**
 * Firefox 140 (an ESR): the oldest release with `data_collection_permissions` in the manifest,
 * which addons.mozilla.org requires of new extensions. Everything else the extension uses is
 * older: MV3 (109), the `action` menu context (109), declarativeNetRequest with session rules,
 * `initiatorDomains`, `requestDomains` and query transforms (113), `storage.session` (115),
 * MV3 host permissions granted at install (127). See docs/firefox.md.
 */
export const FIREFOX_MIN_VERSION = '140.0';

/** `vite build --mode X` → target. Vite's own default mode ("production") builds Chrome. */
export function targetFromMode(mode: string): Target {
  if (mode === 'firefox') return 'firefox';
  if (mode === 'chrome' || mode === 'production' || mode === 'development') return 'chrome';
  throw new Error(`Unknown build mode "${mode}": use --mode chrome or --mode firefox.`);
}

export function manifestFor(target: Target): Manifest {
  const manifest = structuredClone(base) as Manifest;
  if (target === 'chrome') return manifest;

  const { background, ...rest } = manifest;
  delete rest.minimum_chrome_version; // Chrome only
  const worker = background && 'service_worker' in background ? background.service_worker : undefined;
  if (!worker) throw new Error('manifest.json must name the background service worker');
  return {
    ...rest,
    // crxjs (browser: 'firefox') reads scripts[0] and replaces it with its module loader.
    background: { scripts: [worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Firefox's built-in data consent: this extension collects and transmits nothing.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
