import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import { manifestFor, targetFromMode } from './manifest.config.ts';

// `npm run build` runs this twice from the same sources:
//   vite build --mode chrome   → dist/chrome   (an unpacked Chrome/Chromium/Edge extension)
//   vite build --mode firefox  → dist/firefox  (an unpacked Firefox extension)
// Plain `vite build` builds Chrome.
export default defineConfig(({ mode }) => {
  const target = targetFromMode(mode);
  return {
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [crx({ manifest: manifestFor(target), browser: target })],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      sourcemap: false,
      target: target === 'firefox' ? 'firefox140' : 'chrome121',
      // The DevTools panel's page is opened by devtools.ts (panels.create), not named in the manifest.
      rollupOptions: { input: { panel: 'src/devtools/panel.html' } },
    },
  };
});
