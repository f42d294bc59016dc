// Property-based tests (fast-check): hostile or broken input anywhere it enters the core never
// throws, never yields a rule for another host or two credentials at once, and every sequence of
// user actions leaves stored data that validates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage } from './message-schemas';
import { loadState } from './migrations';
import { planUpdate } from './plan-update';
import { LOCAL_PAGE_HOSTS } from './os-api';
import { AUTH_MODES, emptyState, type KeyringState } from './project';
import { rulesFromState } from './rules-from-state';
import { isPlaceholderRemovalId } from './rule-ids';
import { parseCurrentState } from './state-schema';
import { deleteProject, nextActiveId, saveProject, setActiveProject } from './state-updates';
import { classifyTokenHttpFailure } from './token-lifecycle';
import { parseTokenResponse, parseTokenResponseText } from './token-response';
import { checkApiKey, validateProjectInput } from './validate-project';

const RUNS = { numRuns: 300 };
const anyJson = fc.jsonValue();
const anyThing = fc.anything({
  withNullPrototype: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
});

describe('parsers never throw on hostile input', () => {
  it('loadState (stored data) returns ok or an error message', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyThing,
          anyJson,
          fc.record({ schemaVersion: fc.oneof(fc.integer(), fc.string()), projects: anyJson }),
        ),
        (raw) => {
          const result = loadState(raw);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.error.length).toBeGreaterThan(0);
        },
      ),
      RUNS,
    );
  });

  it('parseTokenResponse / parseTokenResponseText return a token or a message, never throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyThing,
          fc.record(
            {
              access_token: fc.oneof(fc.string(), fc.integer()),
              expires_in: fc.oneof(fc.string(), fc.double(), fc.integer()),
              token_type: fc.string(),
              issued_at: fc.string(),
            },
            { requiredKeys: [] },
          ),
        ),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (body, now) => {
          const result = parseTokenResponse(body, now);
          if (result.ok) {
            expect(result.token.expiresAt).toBeGreaterThan(now);
            expect(result.token.accessToken).toMatch(/^[\x21-\x7e]+$/);
          } else expect(result.error).toMatch(/token endpoint/);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(fc.string(), (text) => void parseTokenResponseText(text, 0)),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.string(),
        (status, text) => void classifyTokenHttpFailure(status, text),
      ),
      RUNS,
    );
  });

  it('parseMessage returns null, an error, or a typed message', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyThing, fc.record({ channel: fc.constant('os-api-keyring'), type: fc.string(), args: anyThing })),
        (raw) => {
          const result = parseMessage(raw);
          expect(result === null || typeof result === 'object').toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('checkApiKey and validateProjectInput accept only what can travel, and never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        const result = checkApiKey(raw);
        if ('key' in result) expect(result.key).toMatch(/^[A-Za-z0-9._~-]{1,256}$/);
        else expect(result.error).toMatch(/API key/);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.record({
          name: fc.string(),
          key: fc.string(),
          secret: fc.string(),
          authMode: fc.constantFrom(...AUTH_MODES, 'cookie' as never),
        }),
        (input) => {
          void validateProjectInput(input, emptyState());
        },
      ),
      RUNS,
    );
  });
});

/** A random session of user actions, including invalid ones, applied through the core updates. */
const action = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('save' as const),
      edit: fc.nat(5),
      // Mostly plausible values (so sessions build real state), sometimes hostile ones.
      name: fc.oneof(
        { arbitrary: fc.constantFrom('A', 'B', 'Dev', ' Live ', 'a'), weight: 6 },
        { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
      ),
      key: fc.oneof(
        { arbitrary: fc.constantFrom('K1', 'K2', 'abcDEF123'), weight: 6 },
        { arbitrary: fc.constantFrom('key with space', 'amp&key', ''), weight: 1 },
        { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
      ),
      secret: fc.oneof(
        { arbitrary: fc.constant('S3cret'), weight: 4 },
        { arbitrary: fc.constant(''), weight: 1 },
        { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
      ),
      authMode: fc.constantFrom(...AUTH_MODES),
      staleRevision: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), index: fc.nat(5) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('activate' as const), index: fc.integer({ min: -1, max: 5 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cycle' as const) }) },
);

type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

function run(actions: Action[]): KeyringState {
  let state = emptyState();
  let ids = 0;
  for (const [i, a] of actions.entries()) {
    const target = (index: number) => state.projects[index % Math.max(1, state.projects.length)];
    let result;
    if (a.kind === 'save') {
      const existing = a.edit < 3 ? target(a.edit) : undefined;
      result = saveProject(
        state,
        {
          ...(existing ? { id: existing.id, revision: existing.revision - (a.staleRevision ? 1 : 0) } : {}),
          name: a.name,
          key: a.key,
          secret: a.secret,
          authMode: a.authMode,
        },
        { now: i, newId: () => `id${++ids}` },
      );
    } else if (a.kind === 'delete') result = deleteProject(state, target(a.index)?.id ?? 'none');
    else if (a.kind === 'activate')
      result = setActiveProject(state, a.index < 0 ? null : (target(a.index)?.id ?? 'none'));
    else result = setActiveProject(state, nextActiveId(state));
    if (result.ok) state = result.state;
  }
  return state;
}

describe('any sequence of user actions', () => {
  it('generates meaningful sessions (most end with projects, many with one active)', () => {
    const samples = fc.sample(fc.array(action, { maxLength: 25 }), { numRuns: 300, seed: 42 }).map(run);
    expect(samples.filter((s) => s.projects.length > 0).length).toBeGreaterThan(150);
    expect(samples.filter((s) => s.activeProjectId !== null).length).toBeGreaterThan(60);
  });

  it('leaves stored data that validates (and so reloads unchanged)', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        const state = run(actions);
        expect(parseCurrentState(structuredClone(state))).toEqual({ ok: true, state });
        expect(loadState(structuredClone(state))).toEqual({ ok: true, state, migratedFrom: null });
      }),
      RUNS,
    );
  });

  it('yields rules only for https://api.os.uk, with at most one credential, never the extension itself', () => {
    // Sites the user once allowed but whose permission the browser no longer grants are in the
    // stored state (a real input) and must never become initiators, in pinned tabs' rules too.
    const sites = fc
      .tuple(fc.uniqueArray(fc.domain(), { maxLength: 3 }), fc.uniqueArray(fc.domain(), { minLength: 1, maxLength: 3 }))
      .map(([granted, revoked]) => ({
        granted,
        revoked: revoked.filter((h) => !granted.some((g) => h === g || h.endsWith(`.${g}`) || g.endsWith(`.${h}`))),
      }));
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 25 }),
        fc.option(fc.string({ minLength: 1, maxLength: 40 }).filter((t) => /^[\x21-\x7e]+$/.test(t))),
        fc.integer({ min: 0, max: 600_000 }),
        fc.uniqueArray(fc.nat(20), { maxLength: 4 }),
        sites,
        (actions, token, now, pinTabs, { granted, revoked }) => {
          const state = { ...run(actions), allowedSites: [...granted, ...revoked].map((h) => `https://${h}`) };
          const tokens =
            token && state.activeProjectId
              ? {
                  [state.activeProjectId]: {
                    accessToken: token,
                    obtainedAt: 0,
                    expiresAt: 300_000,
                    lifetimeMs: 300_000,
                  },
                }
              : {};
          const pins = Object.fromEntries(
            pinTabs.map((tab, i) => [
              tab,
              i % 3 === 0 ? null : (state.projects[i % Math.max(1, state.projects.length)]?.id ?? null),
            ]),
          );
          const rules = rulesFromState(state, { extensionId: 'extid', tokens, now, pins, siteHosts: granted });
          // Per tab (and for unpinned tabs, -1 here), collect the credentials that could apply.
          for (const tab of [...pinTabs, 424242]) {
            // Credentials only: the placeholder-removal redirects (removeParams) attach nothing.
            const applying = rules.filter(
              (r) =>
                r.action.type !== 'allow' &&
                !isPlaceholderRemovalId(r.id) &&
                (r.condition.tabIds
                  ? r.condition.tabIds.includes(tab)
                  : !(r.condition.excludedTabIds ?? []).includes(tab)),
            );
            expect(new Set(applying.map((r) => JSON.stringify(r.action))).size).toBeLessThanOrEqual(1);
          }
          const mayInitiate = new Set<string>([...LOCAL_PAGE_HOSTS, 'api.os.uk', ...granted]);
          const matchesDomain = (host: string, domains: readonly string[]) =>
            domains.some((d) => host === d || host.endsWith(`.${d}`));
          const credentials = new Set<string>();
          // Every rule, the pinned tabs' (with tabIds) included.
          for (const rule of rules) {
            expect(rule.condition.requestDomains).toEqual(['api.os.uk']);
            expect(
              rule.condition.urlFilter?.startsWith('|https://api.os.uk/') ??
                rule.condition.regexFilter?.replace(/^\^\(/, '^').startsWith('^https://api\\.os\\.uk/'),
            ).toBe(true);
            if (rule.action.type === 'allow') continue;
            const { initiatorDomains, resourceTypes = [] } = rule.condition;
            if (resourceTypes.some((t) => t !== 'main_frame')) {
              // Requests a page starts: only from a local host, api.os.uk or a granted site.
              expect(initiatorDomains).toBeDefined();
              for (const domain of initiatorDomains ?? []) expect(mayInitiate).toContain(domain);
              for (const hostile of [...revoked, 'extid'])
                expect(matchesDomain(hostile, initiatorDomains ?? [])).toBe(false);
              expect(rule.condition.excludedInitiatorDomains).toContain('extid');
            } else {
              expect(resourceTypes).toEqual(['main_frame']); // a navigation rule, which any page may start
            }
            // Never a Bearer token past its guard, in any tab.
            if (now >= 298_000 && rule.action.type === 'modifyHeaders')
              expect(rule.action.requestHeaders.map((h) => h.header.toLowerCase())).not.toContain('authorization');
            if (rule.condition.tabIds) continue; // one credential per tab is checked above
            if (rule.action.type === 'modifyHeaders')
              for (const h of rule.action.requestHeaders) credentials.add(h.header.toLowerCase());
            if (rule.action.type === 'redirect' && rule.action.redirect.transform?.queryTransform.addOrReplaceParams)
              credentials.add('query');
            // A placeholder-removal rule only ever accompanies a header credential.
            if (rule.action.type === 'redirect' && rule.action.redirect.transform?.queryTransform.removeParams)
              expect(rules.some((r) => r.action.type === 'modifyHeaders' && !r.condition.tabIds)).toBe(true);
          }
          expect(credentials.size).toBeLessThanOrEqual(1);
          if (now >= 298_000) expect(credentials.has('authorization')).toBe(false);
          // Applying the plan from nothing gives exactly these rules, and re-planning is a no-op.
          const plan = planUpdate([], rules);
          expect(plan?.addRules ?? []).toEqual(rules);
          expect(planUpdate(rules, rules)).toBeNull();
        },
      ),
      RUNS,
    );
  });
});
