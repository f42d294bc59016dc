/**
 * The reconciler carries out the rules, toolbar and menu of a plan (core/background-plan.ts),
 * applying only the difference from what is in place. Safe to call any number of times from any
 * start-up path.
 */
import type { BackgroundPlan } from '../core/background-plan';
import type { DnrRule } from '../core/dnr-rule';
import type { MenuItem } from '../core/menu-items';
import { planUpdate } from '../core/plan-update';
import { isOurRuleId } from '../core/rule-ids';
import { toolbarForRefusedRules, type ToolbarView } from '../core/toolbar';
import type { BrowserApi } from '../lib/browser-api';
import type { RuleEngine } from '../core/public-names';

const ICON_SIZES = [16, 32, 48, 128] as const;

function iconPaths(variant: ToolbarView['icon']): Record<string, string> {
  const prefix = variant === 'off' ? 'icons/icon-off' : 'icons/icon';
  return Object.fromEntries(ICON_SIZES.map((size) => [String(size), `${prefix}-${size}.png`]));
}

/** Chromium's `contextMenus.ACTION_MENU_TOP_LEVEL_LIMIT`. */
const ACTION_MENU_TOP_LEVEL_LIMIT = 6;

export interface Reconciler {
  /**
   * Put the plan's rules, toolbar and menu in place. Tabs that had their own toolbar and are not in
   * `tabToolbars` go back to the global one. A refused rule update removes every rule of ours
   * (fail closed), shows so on the toolbar, and throws.
   */
  apply(plan: Pick<BackgroundPlan, 'rules' | 'toolbar' | 'tabToolbars' | 'menu'>): Promise<void>;
  /** The rules last put in place (what the activity log attributes requests by). */
  rules(): readonly DnrRule[];
  /** The last rule update the engine refused, if any (shown in the popup). */
  lastRuleError(): string | null;
  /** Forget what this tab's toolbar shows, so the next apply sets it again. */
  forgetTab(tabId: number): void;
}

/** The extension's origin host: its id in Chrome, a per-install UUID in Firefox. */
export function extensionHostOf(browser: Pick<BrowserApi, 'runtime'>): string {
  return new URL(browser.runtime.getURL('/')).host;
}

/** Firefox's extension pages are moz-extension: (its DNR accepts different guard entries). */
export function engineOf(browser: Pick<BrowserApi, 'runtime'>): RuleEngine {
  return browser.runtime.getURL('/').startsWith('moz-extension:') ? 'firefox' : 'chromium';
}

export function createReconciler(browser: BrowserApi): Reconciler {
  // Remembered per service-worker instance only, to skip redundant toolbar/menu calls. A new
  // instance starts empty and applies everything once.
  let appliedToolbar = '';
  let appliedMenu = '';
  /** Tabs given their own toolbar by this worker instance, with what was applied. */
  const appliedTabs = new Map<number, string>();
  let ruleError: string | null = null;
  let desiredRules: readonly DnrRule[] = [];

  async function applyRules(desired: readonly DnrRule[]): Promise<void> {
    const installed = await browser.dnr.getSessionRules();
    const plan = planUpdate(installed, desired);
    if (!plan) {
      desiredRules = desired;
      return;
    }
    try {
      // One call: removals and additions take effect together (no gap, no overlap).
      await browser.dnr.updateSessionRules(plan);
      desiredRules = desired;
      ruleError = null;
    } catch (err) {
      // Fail closed (issue 14): the previous rules must not stay, or a switch to Off, to another
      // project or to locked that the browser refused would leave the old credential attached.
      desiredRules = [];
      const cleared = await removeAllOurRules();
      const why = err instanceof Error ? err.message : String(err);
      ruleError = cleared
        ? `The browser refused the request rules: ${why}. Every rule was removed: nothing is attached until this is fixed.`
        : `The browser refused the request rules: ${why}. Removing the previous rules failed too: turn the extension off on the browser’s extensions page.`;
      throw err;
    }
  }

  /** Remove every rule in our ID range; one at a time if the browser refuses them together. True when none is left. */
  async function removeAllOurRules(): Promise<boolean> {
    const ours = async () => (await browser.dnr.getSessionRules()).filter((r) => isOurRuleId(r.id)).map((r) => r.id);
    try {
      const ids = await ours();
      if (ids.length) await browser.dnr.updateSessionRules({ removeRuleIds: ids, addRules: [] });
      return true;
    } catch {
      for (const id of await ours().catch(() => [] as number[])) {
        await browser.dnr.updateSessionRules({ removeRuleIds: [id], addRules: [] }).catch(() => undefined);
      }
      return (await ours().catch(() => [0])).length === 0;
    }
  }

  async function applyToolbar(view: ToolbarView): Promise<void> {
    const signature = JSON.stringify(view);
    if (signature === appliedToolbar) return;
    await Promise.all([
      browser.action.setBadgeText({ text: view.badgeText }),
      browser.action.setBadgeBackgroundColor({ color: view.badgeColor }),
      browser.action.setTitle({ title: view.title }),
      browser.action.setIcon({ path: iconPaths(view.icon) }),
    ]);
    appliedToolbar = signature;
  }

  async function applyTabToolbars(views: ReadonlyMap<number, ToolbarView>, global: ToolbarView): Promise<void> {
    for (const [tabId, view] of views) {
      const signature = JSON.stringify(view);
      if (appliedTabs.get(tabId) === signature) continue;
      await Promise.all([
        browser.action.setBadgeText({ tabId, text: view.badgeText }),
        browser.action.setBadgeBackgroundColor({ tabId, color: view.badgeColor }),
        browser.action.setTitle({ tabId, title: view.title }),
        browser.action.setIcon({ tabId, path: iconPaths(view.icon) }),
      ]).catch(() => undefined); // the tab may have closed meanwhile
      appliedTabs.set(tabId, signature);
    }
    for (const tabId of [...appliedTabs.keys()]) {
      if (views.has(tabId)) continue;
      // Unpinned: follow the global toolbar again (null text resets; the rest is set to match).
      await Promise.all([
        browser.action.setBadgeText({ tabId, text: null }),
        browser.action.setBadgeBackgroundColor({ tabId, color: global.badgeColor }),
        browser.action.setTitle({ tabId, title: global.title }),
        browser.action.setIcon({ tabId, path: iconPaths(global.icon) }),
      ]).catch(() => undefined);
      appliedTabs.delete(tabId);
    }
  }

  async function applyMenu(items: readonly MenuItem[]): Promise<void> {
    const signature = JSON.stringify(items);
    if (signature === appliedMenu) return;
    await browser.contextMenus.removeAll();
    const nested = items.length > ACTION_MENU_TOP_LEVEL_LIMIT;
    if (nested)
      await browser.contextMenus.create({ id: 'active-project', title: 'Active project', contexts: ['action'] });
    for (const item of items) {
      await browser.contextMenus.create({
        id: item.id,
        title: item.title,
        type: 'radio',
        checked: item.checked,
        contexts: ['action'],
        ...(nested ? { parentId: 'active-project' } : {}),
      });
    }
    appliedMenu = signature;
  }

  return {
    async apply(plan) {
      // Rules first: they are what requests see. Toolbar and menu follow.
      try {
        await applyRules(plan.rules);
      } catch (err) {
        // Nothing is attached now: the toolbar must not say otherwise, in any tab.
        const refused = toolbarForRefusedRules();
        await applyToolbar(refused).catch(() => undefined);
        await applyTabToolbars(new Map(), refused).catch(() => undefined);
        throw err;
      }
      await applyToolbar(plan.toolbar);
      await applyTabToolbars(plan.tabToolbars, plan.toolbar);
      await applyMenu(plan.menu);
    },
    lastRuleError: () => ruleError,
    rules: () => desiredRules,
    forgetTab: (tabId) => void appliedTabs.delete(tabId),
  };
}
