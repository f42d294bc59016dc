/** Keeps the viewer's response rule (core/viewer-rule.ts) enabled exactly while the setting is on. */
import { viewerRulesetUpdate } from '../core/viewer-rule';
import type { BrowserApi } from '../lib/browser-api';

export async function syncViewerRule(dnr: BrowserApi['dnr'], on: boolean): Promise<void> {
  const update = viewerRulesetUpdate(await dnr.getEnabledRulesets(), on);
  if (update) await dnr.updateEnabledRulesets(update);
}
