import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

// `npm run build` writes an unpacked, loadable Chrome extension to dist/chrome.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [crx({ manifest: manifest, browser: 'chrome' })],
  build: {
    outDir: 'dist/chrome',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome121',
  },
});
