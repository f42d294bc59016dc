/**
 * The background's named operations over its context (context.ts). Each that reads or writes
 * the state, or updates the rules, runs in the one serial queue.
 *
 * Walk of "user picks a project": popup → message-handlers `setActiveProject` → {@link activate}
 * (one state read; an OAuth project's token first) → {@link mutate} (reuses that read, one write,
 * then {@link applyOpened}: facts → core `planBackground` → reconciler: one rule update). The
 * write's storage.onChanged echo is recognised (`memo.ownWrites`) and not applied again.
 * Walk of "token refreshed": token-manager timer → `onCheckDue` → {@link checkTokens} (no state
 * read; an apply only if a token went stale) → refresh → `onToken` → {@link applyKnown}: one apply.
 */
import type { LoadResult } from '../core/migrations';
import type { KeyringState } from '../core/project';
import { oauthInUse, planBackground, type TokenFacts } from '../core/background-plan';
import { alertsNewestFirst } from '../core/alerts';
import { resealSecrets, secretsOf, stripSecrets } from '../core/secret-lock';
import { setActiveProject, type UpdateResult } from '../core/state-updates';
import { describeError, MessageFailure } from '../lib/messaging';
import type { BackgroundContext, OpenResult } from './context';
import { LOCKED_MESSAGE, type OpenedState } from './lock-session';
import { engineOf, extensionHostOf } from './reconciler';
import { syncViewerRule } from './viewer-rule-sync';

type Ctx = BackgroundContext;

/** The stored state, opened with the session key when the lock is on and unlocked. */
export async function loadOpened(ctx: Ctx): Promise<OpenResult> {
  const at = ctx.memo.generation;
  const loaded = await ctx.store.load();
  if (!loaded.ok) return loaded;
  const opened = await ctx.lockSession.open(loaded.state);
  ctx.memo.known = { opened, generation: at };
  return { ok: true, opened };
}

/** The opened state if nothing it depends on changed since it was read or written here, else null. */
export function current(ctx: Ctx): OpenedState | null {
  const { known, generation } = ctx.memo;
  return known && known.generation === generation ? known.opened : null;
}

/** Gather the facts, plan (core/background-plan.ts), carry the plan out. */
export async function applyOpened(ctx: Ctx, state: KeyringState | null, locked: boolean): Promise<void> {
  const facts = {
    state,
    locked,
    now: ctx.env.now(),
    extensionHost: extensionHostOf(ctx.browser),
    engine: engineOf(ctx.browser),
  };
  const empty = { tokens: {}, tokenStatus: {}, granted: [], pins: {}, warning: null };
  const plan = planBackground(
    !state || locked ? { ...facts, ...empty } : { ...facts, ...(await unlockedFacts(ctx, state)) },
  );
  await ctx.reconciler.apply(plan);
  ctx.monitor.setContext({ ...plan.monitor, rules: ctx.reconciler.rules() });
  if (state && !locked) void ctx.monitor.noteTokenFailures(plan.tokenFailures);
  if (plan.tokenSchedule) await ctx.tokens.schedule(plan.tokenSchedule.state, plan.tokenSchedule.pinnedProjectIds);
  if (state) ctx.tabWatch.set(plan.watchTabs);
}

/** The facts besides the state that an unlocked (or lock-off) state's plan needs. */
async function unlockedFacts(ctx: Ctx, state: KeyringState) {
  const [tokens, granted, loadedPins] = await Promise.all([
    ctx.tokens.usableTokens(state),
    ctx.browser.permissions.grantedOrigins(),
    ctx.pins.load(),
  ]);
  // Pins of tabs that closed while the worker slept end now (see tab-watch.ts).
  const pins: Record<number, string | null> = { ...loadedPins };
  for (const tab of Object.keys(pins).map(Number)) {
    if (!(await ctx.browser.tabs.exists(tab))) {
      delete pins[tab];
      await ctx.pins.unpin(tab);
    }
  }
  const tokenStatus: Record<string, TokenFacts> = {};
  for (const p of oauthInUse(state, pins)) tokenStatus[p.id] = await ctx.tokens.view(p);
  await ctx.monitor.alertsReady(); // a small read, so a waking worker keeps the badge's warning
  const warning = alertsNewestFirst(ctx.monitor.alertsNow())[0]?.message ?? null;
  return { tokens, tokenStatus, granted, pins, warning };
}

/** Read the stored state and apply it (inside a queue slot). */
async function reconcileNow(ctx: Ctx): Promise<LoadResult> {
  const at = ctx.memo.generation;
  const loaded = await ctx.store.load();
  if (!loaded.ok) {
    await applyOpened(ctx, null, false);
    return loaded;
  }
  const opened = await ctx.lockSession.open(loaded.state);
  ctx.memo.known = { opened, generation: at };
  await applyOpened(ctx, opened.state, opened.mode === 'locked');
  return loaded;
}

/** Queue a full read-and-apply, joining one already waiting. */
export function reconcile(ctx: Ctx): Promise<LoadResult> {
  if (ctx.memo.waiting) return ctx.memo.waiting;
  const job = ctx.queue(async () => {
    ctx.memo.waiting = null; // changes from now on need a fresh pass
    return reconcileNow(ctx);
  });
  ctx.memo.waiting = job;
  return job;
}

/**
 * Rules, toolbar and token schedule again for what is known (a token arrived): no state read
 * while the opened state is current; otherwise a full reconcile.
 */
export function applyKnown(ctx: Ctx): Promise<unknown> {
  if (ctx.memo.waiting) return ctx.memo.waiting;
  return ctx.queue(async () => {
    const opened = current(ctx);
    if (opened) return applyOpened(ctx, opened.state, opened.mode === 'locked');
    return reconcileNow(ctx);
  });
}

/**
 * A scheduled token check is due. Refreshes that are due start (each applies when it settles,
 * through onToken); the rules change now only if a token went stale meanwhile.
 */
export function checkTokens(ctx: Ctx): Promise<unknown> {
  if (ctx.memo.waiting) return ctx.memo.waiting;
  return ctx.queue(async () => {
    const opened = current(ctx);
    if (!opened) return reconcileNow(ctx);
    if (await ctx.tokens.checkDue()) return applyOpened(ctx, opened.state, opened.mode === 'locked');
    return undefined;
  });
}

/**
 * Load, apply a pure update, write once, apply: all in one queue slot. With the lock on and
 * unlocked, the update sees the secrets, and the result is re-sealed with the session key and
 * stored (projects blanked, new lock) in the same single write. While locked, an update that
 * needs secrets (`needsSecrets`), or that would store a key in plain text, is refused.
 */
export function mutate<T>(
  ctx: Ctx,
  update: (state: KeyringState) => UpdateResult<T>,
  { needsSecrets = false } = {},
): Promise<T> {
  return ctx.queue(async () => {
    const reuse = current(ctx);
    const loaded = reuse ? ({ ok: true, opened: reuse } as const) : await loadOpened(ctx);
    if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
    const { opened } = loaded;
    if (opened.mode === 'locked' && needsSecrets) throw new MessageFailure({ code: 'locked', message: LOCKED_MESSAGE });
    const result = update(opened.state);
    if (!result.ok) {
      throw new MessageFailure({
        code: result.code,
        message: result.message,
        ...(result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}),
      });
    }
    let toStore = result.state;
    if (opened.mode === 'locked' && result.state.projects.some((p) => p.key !== '' || p.secret !== '')) {
      throw new MessageFailure({ code: 'locked', message: LOCKED_MESSAGE });
    }
    if (opened.mode === 'unlocked') {
      const sealed = await resealSecrets(opened.lock, opened.key, secretsOf(result.state.projects), ctx.env.crypto);
      if (!sealed.ok) throw new MessageFailure({ code: 'lock', message: sealed.message });
      toStore = { ...result.state, projects: stripSecrets(result.state.projects), lock: sealed.lock };
    }
    const written = JSON.stringify(toStore);
    ctx.memo.ownWrites.add(written);
    try {
      await ctx.store.save(toStore);
      const next: OpenedState =
        opened.mode === 'unlocked'
          ? { ...opened, state: result.state, lock: toStore.lock! }
          : { mode: opened.mode, state: opened.mode === 'locked' ? toStore : result.state };
      ctx.memo.known = { opened: next, generation: ctx.memo.generation };
    } catch (err) {
      ctx.memo.ownWrites.delete(written);
      throw new MessageFailure({
        code: 'storage',
        message: `The browser could not save your change (${describeError(err)}). Nothing was changed.`,
      });
    }
    try {
      // The new state is already open here: no need to decrypt what was just sealed.
      await applyOpened(ctx, opened.mode === 'locked' ? toStore : result.state, opened.mode === 'locked');
    } catch (err) {
      void reconcile(ctx); // try the rules again from what is stored (as the echo of the write used to)
      throw new MessageFailure({
        code: 'rules',
        message: `Saved, but the browser refused the request rules (${describeError(err)}).`,
      });
    }
    return result.value;
  });
}

/**
 * Switch project. An OAuth project gets its token *before* the switch is written, so the old
 * credential stays on the wire until the new one can replace it in the same rule update. If the
 * token cannot be had, the switch still happens and the popup says why.
 */
export async function activate(ctx: Ctx, id: string | null): Promise<void> {
  // Read once: mutate reuses this opened state unless something changed it meanwhile.
  const loaded = await ctx.queue(() => loadOpened(ctx));
  const target =
    loaded.ok && loaded.opened.mode !== 'locked' ? loaded.opened.state.projects.find((p) => p.id === id) : undefined;
  // Quiet: the switch below applies the new token in its own rule update.
  if (target?.authMode === 'oauth') await ctx.tokens.ensure(target, { quiet: true });
  await mutate(ctx, (s) => setActiveProject(s, id));
}

/** Read the settings and apply them: recording, durations, the viewer's rule. */
export async function applySettings(ctx: Ctx): Promise<void> {
  ctx.memo.settings = await ctx.settingsStore.load();
  ctx.monitor.setRecording(ctx.memo.settings.recordActivity, ctx.memo.settings.recordDurations);
  await syncViewerRule(ctx.browser.dnr, ctx.memo.settings.viewer);
}
