/**
 * The in-tab viewer's content script (issue 18): declared in the manifest for top-level
 * https://api.os.uk/features/* and /search/* documents only. It is kept tiny, because it loads on
 * every such document: it checks that this is a document the viewer takes over (plain text, which
 * the viewer's response rule makes of OS JSON and XML, see core/viewer-rule.ts) and that the
 * setting is on, and only then loads the viewer itself (and the viewer loads the map only when
 * there are features to draw). Runs in the content script's isolated world; nothing is loaded from
 * anywhere but the extension.
 */
import { STORAGE } from '../core/storage-registry';
import { viewerCovers } from '../core/viewer-document';
import { readFrom } from '../lib/storage';

const ext: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;

async function start(): Promise<void> {
  // `document.body` is typed non-null but is null in a document with no body.
  if (
    window.top !== window ||
    !viewerCovers(location.href) ||
    document.contentType !== 'text/plain' ||
    !(document.body as HTMLElement | null)
  )
    return;
  const stored = (await readFrom(ext.storage.local, STORAGE.settings)) as { viewer?: unknown } | undefined;
  if (stored?.viewer === false) return;
  // Plain text is shown by both browsers as one <pre>; its text is the response body.
  const text = document.body.querySelector('pre')?.textContent ?? document.body.textContent;
  const { mountViewer } = await import('./viewer');
  mountViewer(text);
}

void start().catch((err: unknown) => console.error('OS API Keyring viewer:', err));
