/**
 * OAuth 2 client-credentials tokens for the active project: fetched by the extension itself,
 * kept only in memory and `storage.session` (never on disk), refreshed before expiry, retried with
 * backoff, and dropped the moment they are rejected or about to expire.
 *
 * Scheduling survives the worker being stopped: an alarm wakes it for the next check, and every
 * start-up reconcile calls `schedule` again. While the worker is alive a timer gives the exact
 * time (Chrome delays alarms set less than 30 s ahead for packed extensions:
 * https://developer.chrome.com/docs/extensions/reference/api/alarms).
 */
import { OS_TOKEN_URL } from '../core/os-api';
import type { KeyringState, Project } from '../core/project';
import { STORAGE } from '../core/storage-registry';
import {
  EMPTY_TOKEN_STATUS,
  backoffMs,
  classifyTokenHttpFailure,
  isUsable,
  needsRefresh,
  nextCheckAt,
  type TokenFailure,
  type TokenStatus,
} from '../core/token-lifecycle';
import { parseTokenResponseText, type AccessToken } from '../core/token-response';
import type { BrowserApi } from '../lib/browser-api';
import type { KeyedStorage } from '../lib/storage';

/** The storage.session key of the tokens (secret); their status, which holds none, is beside it. */
export const TOKENS_KEY = STORAGE.tokens.key;
export const REFRESH_ALARM = 'oauth-refresh';
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** A token remembers which revision of its project obtained it: editing the key or secret voids it. */
export interface StoredToken extends AccessToken {
  projectRevision: number;
}
export interface StoredStatus extends TokenStatus {
  projectRevision: number;
}

export interface TokenEnv {
  now(): number;
  fetch(url: string, init: RequestInit): Promise<Pick<Response, 'status' | 'text'>>;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** What the popup shows for an OAuth project. */
export interface OAuthView extends TokenStatus {
  refreshing: boolean;
}

function basicAuth(project: Project): string {
  // Key and secret are validated as printable ASCII, so btoa cannot throw here.
  return `Basic ${btoa(`${project.key}:${project.secret}`)}`;
}

export interface TokenManager {
  /** Usable tokens for the rules, after dropping any that are stale or void. */
  usableTokens(state: KeyringState): Promise<Record<string, AccessToken>>;
  /** For every OAuth project in use (active or pinned): refresh now if due; then set the alarm and timer for the next check. */
  schedule(state: KeyringState, pinnedProjectIds?: readonly string[]): Promise<void>;
  /**
   * Get a token now ("Refresh token now"), ignoring backoff. `quiet`: the caller applies the
   * outcome itself, so `onToken` is not called for it.
   */
  refresh(project: Project, options?: { quiet?: boolean }): Promise<void>;
  /** Make sure the project has a usable token, fetching one if needed (`quiet` as for refresh). */
  ensure(project: Project, options?: { quiet?: boolean }): Promise<void>;
  view(project: Project): Promise<OAuthView>;
  /**
   * A scheduled check is due (the timer fired): drop stale tokens, start the refreshes that are due
   * and schedule the next check, for what `schedule` was last given. True when a token was dropped,
   * so the rules must change now; otherwise each refresh reports through `onToken` when it settles.
   */
  checkDue(): Promise<boolean>;
  token(project: Project): Promise<AccessToken | null>;
}

/**
 * What the token manager reports back into the background's serial queue: `onToken` when a refresh
 * it made has settled ("project X's token is now what is stored", success or failure), so the rules
 * can follow without re-reading the state; `onCheckDue` when the next scheduled check is due.
 */
export interface TokenHooks {
  onToken(projectId: string): void;
  onCheckDue(): void;
}

export function createTokenManager(
  browser: Pick<BrowserApi, 'alarms'>,
  storage: KeyedStorage,
  env: TokenEnv,
  hooks: TokenHooks,
): TokenManager {
  let cache: { tokens: Record<string, StoredToken>; status: Record<string, StoredStatus> } | null = null;
  const inFlight = new Map<string, Promise<void>>();
  let timer: unknown = null;
  /** What `schedule` was last given, for `checkDue`. */
  let scheduled: { state: KeyringState; pinnedProjectIds: readonly string[] } | null = null;

  async function load() {
    if (!cache) {
      const [tokens, status] = await storage.readMany([STORAGE.tokens, STORAGE.tokenStatus]);
      const asRecord = (v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, never>) : {};
      cache = { tokens: { ...asRecord(tokens) }, status: { ...asRecord(status) } };
    }
    return cache;
  }

  async function persist(): Promise<void> {
    if (!cache) return;
    await storage.write([STORAGE.tokens, cache.tokens], [STORAGE.tokenStatus, cache.status]);
  }

  function statusOf(project: Project): StoredStatus {
    const status = cache?.status[project.id];
    return status && status.projectRevision === project.revision
      ? status
      : { ...EMPTY_TOKEN_STATUS, projectRevision: project.revision };
  }

  /** Drop tokens and statuses that no longer belong to a project; true when a token was dropped. */
  async function prune(state: KeyringState): Promise<boolean> {
    const c = await load();
    const now = env.now();
    let changed = false;
    let tokenDropped = false;
    for (const [id, token] of Object.entries(c.tokens)) {
      const project = state.projects.find((p) => p.id === id);
      if (
        !project ||
        project.authMode !== 'oauth' ||
        project.revision !== token.projectRevision ||
        !isUsable(token, now)
      ) {
        delete c.tokens[id];
        changed = true;
        tokenDropped = true;
      }
    }
    for (const [id, status] of Object.entries(c.status)) {
      const project = state.projects.find((p) => p.id === id);
      if (!project || project.authMode !== 'oauth' || project.revision !== status.projectRevision) {
        delete c.status[id];
        changed = true;
      }
    }
    if (changed) await persist();
    return tokenDropped;
  }

  async function requestToken(project: Project): Promise<{ token: AccessToken } | { failure: TokenFailure }> {
    // Keys cleared by "Forgot passphrase": nothing to send until the user enters them again.
    if (project.key === '')
      return {
        failure: { kind: 'rejected', message: 'This project has no key: edit it and paste its key and secret again.' },
      };
    const sentAt = env.now();
    let timedOut = false as boolean; // set by the timer callback: not narrowed to `false`
    const controller = new AbortController();
    const timeout = env.setTimer(() => {
      timedOut = true;
      controller.abort();
    }, TOKEN_REQUEST_TIMEOUT_MS);
    try {
      const response = await env.fetch(OS_TOKEN_URL, {
        method: 'POST',
        headers: { Authorization: basicAuth(project), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        cache: 'no-store',
        credentials: 'omit',
        // Never follow a redirect: it would take the Basic credentials (key and secret) with it.
        redirect: 'error',
        signal: controller.signal,
      });
      const text = await response.text();
      if (response.status !== 200) return { failure: classifyTokenHttpFailure(response.status, text) };
      const parsed = parseTokenResponseText(text, sentAt);
      return parsed.ok ? { token: parsed.token } : { failure: { kind: 'transient', message: parsed.error } };
    } catch {
      return {
        failure: {
          kind: 'transient',
          message: timedOut
            ? `The token endpoint did not answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s.`
            : 'Could not reach the token endpoint (network error, or it answered with a redirect, which is never followed).',
        },
      };
    } finally {
      env.clearTimer(timeout);
    }
  }

  function refresh(project: Project, { quiet = false } = {}): Promise<void> {
    const running = inFlight.get(project.id);
    if (running) return running; // one refresh in flight per project
    const job = (async () => {
      const result = await requestToken(project);
      const c = await load();
      const previous = statusOf(project);
      if ('token' in result) {
        c.tokens[project.id] = { ...result.token, projectRevision: project.revision };
        c.status[project.id] = {
          projectRevision: project.revision,
          lastRefreshAt: result.token.obtainedAt,
          expiresAt: result.token.expiresAt,
          lastError: null,
          failures: 0,
          retryAt: null,
        };
      } else if (result.failure.kind === 'rejected') {
        // Rejected credentials: the Bearer rule goes at once; no retries until the user acts.
        delete c.tokens[project.id];
        c.status[project.id] = {
          ...previous,
          expiresAt: null,
          lastError: result.failure,
          failures: previous.failures + 1,
          retryAt: null,
        };
      } else {
        // Transient: keep the current token while it is good, retry with backoff.
        const failures = previous.failures + 1;
        c.status[project.id] = {
          ...previous,
          lastError: result.failure,
          failures,
          retryAt: env.now() + backoffMs(failures),
        };
      }
      await persist();
    })().finally(() => {
      inFlight.delete(project.id);
      if (!quiet) hooks.onToken(project.id);
    });
    inFlight.set(project.id, job);
    return job;
  }

  async function schedule(state: KeyringState, pinnedProjectIds: readonly string[] = []): Promise<void> {
    scheduled = { state, pinnedProjectIds };
    if (timer !== null) {
      env.clearTimer(timer);
      timer = null;
    }
    // Projects in use: the active one and any pinned to a tab. Others fetch and refresh nothing.
    const inUse = state.projects.filter(
      (p) => p.authMode === 'oauth' && (p.id === state.activeProjectId || pinnedProjectIds.includes(p.id)),
    );
    await prune(state);
    const c = await load();
    const now = env.now();
    let next: number | null = null;
    for (const project of inUse) {
      const token = c.tokens[project.id];
      const status = statusOf(project);
      const retryDue = status.retryAt === null || now >= status.retryAt;
      if (status.lastError?.kind !== 'rejected' && needsRefresh(token, now) && retryDue) {
        void refresh(project); // its completion reconciles and schedules again
        continue;
      }
      const at = nextCheckAt(token, status, now);
      if (at !== null && (next === null || at < next)) next = at;
    }
    if (next === null) {
      await browser.alarms.clear(REFRESH_ALARM);
      return;
    }
    await browser.alarms.create(REFRESH_ALARM, { when: next });
    timer = env.setTimer(
      () => {
        timer = null;
        hooks.onCheckDue();
      },
      Math.max(0, next - now),
    );
  }

  return {
    async usableTokens(state) {
      await prune(state);
      return Object.fromEntries(Object.entries((await load()).tokens).map(([id, t]) => [id, t]));
    },

    schedule,

    async checkDue() {
      if (!scheduled) return true;
      const dropped = await prune(scheduled.state);
      await schedule(scheduled.state, scheduled.pinnedProjectIds);
      return dropped;
    },

    refresh,

    async ensure(project, options) {
      await load();
      const token = cache?.tokens[project.id];
      if (token && token.projectRevision === project.revision && isUsable(token, env.now())) return;
      await refresh(project, options);
    },

    async view(project) {
      await load();
      return { ...statusOf(project), refreshing: inFlight.has(project.id) };
    },

    async token(project) {
      await load();
      const token = cache?.tokens[project.id];
      return token && token.projectRevision === project.revision && isUsable(token, env.now()) ? token : null;
    },
  };
}
