/**
 * Tab events matter only while some tab is pinned, so their listeners are added only then:
 * registered at top level they would wake the worker on every page load and tab close in the
 * browser. A pinned tab closing ends its pin; a pinned tab loading a new page needs its badge,
 * title and icon set again (Chromium clears a tab's own values on navigation). If the worker is
 * asleep meanwhile, the next reconcile drops pins of closed tabs and re-applies the badges; rules
 * are unaffected either way (a closed tab's id is never reused in a session).
 */
import type { BackgroundContext, TabWatch } from './context';

export function createTabWatch(
  ctx: Pick<BackgroundContext, 'browser' | 'pins' | 'reconciler' | 'reconcile'>,
): TabWatch {
  let watching = false;
  function onTabRemoved(tabId: number): void {
    void ctx.pins.unpin(tabId).then((had) => (had ? ctx.reconcile() : undefined));
  }
  function onTabUpdated(tabId: number, change: { status?: string }): void {
    if (change.status !== 'loading') return;
    void ctx.pins.load().then((tabPins) => {
      if (!(tabId in tabPins)) return undefined;
      ctx.reconciler.forgetTab(tabId);
      return ctx.reconcile();
    });
  }
  return {
    set(on) {
      if (on === watching) return;
      if (on) {
        ctx.browser.tabs.onUpdated.addListener(onTabUpdated);
        ctx.browser.tabs.onRemoved.addListener(onTabRemoved);
      } else {
        ctx.browser.tabs.onUpdated.removeListener(onTabUpdated);
        ctx.browser.tabs.onRemoved.removeListener(onTabRemoved);
      }
      watching = on;
    },
  };
}
