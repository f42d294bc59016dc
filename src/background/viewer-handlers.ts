/**
 * The background's answers to the in-tab viewer (issue 18). The viewer is a content script on an
 * api.os.uk document; everything it gets is about that document's own request.
 */
import { redactUrl } from '../core/os-api-classify';
import type { ViewerContext } from '../core/messages';
import type { KeyringState } from '../core/project';
import type { Caller, Handlers } from '../lib/message-handler';
import { MessageFailure } from '../lib/messaging';
import type { ActivityMonitor } from './activity-monitor';
import type { OpenedState } from './lock-session';
import type { PinStore } from './pin-store';

interface Deps {
  queue: <T>(job: () => Promise<T>) => Promise<T>;
  loadOpened(): Promise<{ ok: true; opened: OpenedState } | { ok: false; error: string }>;
  monitor: ActivityMonitor;
  pins: PinStore;
}

/** Path and query with `key` redacted, without the fragment: how the activity log stores a URL. */
function logPath(url: string): string {
  try {
    const u = new URL(url);
    return redactUrl(`${u.pathname}${u.search}`);
  } catch {
    return '';
  }
}

function viewerOnly(caller: Caller): Extract<Caller, { kind: 'viewer' }> {
  if (caller.kind !== 'viewer')
    throw new MessageFailure({ code: 'forbidden', message: 'Only the response viewer asks this.' });
  return caller;
}

/**
 * "Copy as curl" from the viewer: only for the URL of its own document (fragment and any `key`
 * aside), so a viewer can never be used to get a command for some other request.
 */
export function checkViewerCurlUrl(url: string, caller: Caller): void {
  if (caller.kind !== 'viewer') return;
  const strip = (u: string) => redactUrl(u.split('#')[0] ?? '');
  if (strip(url) !== strip(caller.url))
    throw new MessageFailure({ code: 'forbidden', message: 'The viewer may only copy its own request.' });
}

export function createViewerHandlers(d: Deps): Pick<Handlers, 'viewerContext'> {
  return {
    async viewerContext(_args, caller) {
      const { tabId, url } = viewerOnly(caller);
      const loaded = await d.queue(() => d.loadOpened());
      const state: KeyringState | null = loaded.ok ? loaded.opened.state : null;
      const project = (id: string | null | undefined): ViewerContext['project'] => {
        const p = id ? state?.projects.find((x) => x.id === id) : undefined;
        return p ? { id: p.id, name: p.name, authMode: p.authMode } : null;
      };
      // The activity log's record of this document's request: same tab, same path and query.
      const path = logPath(url);
      const entries = await d.monitor.entries();
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]!;
        if (e.tabId !== tabId || e.path !== path || e.method !== 'GET') continue;
        return { project: project(e.projectId), source: 'activity', status: e.status, durationMs: e.durationMs };
      }
      // Not recorded (recording off, or not yet): the tab's pinned project, else the active one.
      if (!state || (loaded.ok && loaded.opened.mode === 'locked'))
        return { project: null, source: 'current', status: null, durationMs: null };
      const pins = await d.pins.load();
      const id = Object.hasOwn(pins, tabId) ? pins[tabId] : state.activeProjectId;
      return { project: project(id), source: 'current', status: null, durationMs: null };
    },
  };
}
