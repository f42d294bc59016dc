/**
 * Schema of the stored state (current version), checked every time it is read. Stored data is
 * untrusted: another version of the extension, a sync tool or a hand edit may have written it.
 */
import * as v from 'valibot';
import { AUTH_MODES, CURRENT_SCHEMA_VERSION, PROJECT_MODES, type KeyringState } from './project';
import type { SecretLock } from './secret-box';
import { normaliseSite } from './site-access';
import { PBKDF2_ITERATIONS, parseSecretLock } from './secret-box';

const ProjectSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  name: v.pipe(v.string(), v.minLength(1)),
  // '' while the lock is on (the key is sealed in `lock`), or after "forgot passphrase" until re-entered.
  key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._~-]*$/, 'not a valid API key')),
  secret: v.pipe(v.string(), v.regex(/^[\x21-\x7e]*$/, 'not a valid API secret')),
  authMode: v.picklist(AUTH_MODES),
  mode: v.picklist(PROJECT_MODES),
  keyChangedAt: v.number(),
  // Counted in characters (code points), exactly as the form counts them.
  badgeText: v.pipe(
    v.string(),
    v.check((s) => Array.from(s).length <= 4, 'longer than 4 characters'),
  ),
  color: v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/, 'not a #rrggbb colour')),
  ruleSlot: v.pipe(v.number(), v.integer(), v.minValue(0)),
  revision: v.pipe(v.number(), v.integer(), v.minValue(1)),
  createdAt: v.number(),
  updatedAt: v.number(),
});

const stateSchema = (minIterations: number) =>
  v.pipe(
    v.object({
      schemaVersion: v.literal(CURRENT_SCHEMA_VERSION),
      projects: v.array(ProjectSchema),
      activeProjectId: v.nullable(v.string()),
      nextRuleSlot: v.pipe(v.number(), v.integer(), v.minValue(0)),
      allowedSites: v.pipe(
        v.array(
          v.pipe(
            v.string(),
            v.check((s) => normaliseSite(s) === s, 'not an allowable site'),
          ),
        ),
        v.maxLength(500),
      ),
      lock: v.nullable(
        v.pipe(
          v.unknown(),
          v.check((raw) => parseSecretLock(raw, { minIterations }).ok, 'the stored lock is damaged'),
          v.transform((raw) => raw as SecretLock),
        ),
      ),
    }),
    v.check(
      (s) => s.lock === null || s.projects.every((p) => p.key === '' && p.secret === ''),
      'a key is stored in plain text while the lock is on',
    ),
    v.check((s) => new Set(s.projects.map((p) => p.id)).size === s.projects.length, 'two projects share an id'),
    v.check(
      (s) => new Set(s.projects.map((p) => p.ruleSlot)).size === s.projects.length,
      'two projects share a rule slot',
    ),
    v.check((s) => s.projects.every((p) => p.ruleSlot < s.nextRuleSlot), 'a rule slot is not below nextRuleSlot'),
    v.check(
      (s) => new Set(s.projects.map((p) => p.name.toLocaleLowerCase())).size === s.projects.length,
      'two projects share a name',
    ),
  );

/**
 * Validate data claiming to be the current version. The message names the first bad path.
 * `minIterations` (of a stored lock) is lowered only by tests; the extension keeps the real count.
 */
export function parseCurrentState(
  raw: unknown,
  { minIterations = PBKDF2_ITERATIONS } = {},
): { ok: true; state: KeyringState } | { ok: false; error: string } {
  const result = v.safeParse(stateSchema(minIterations), raw);
  if (result.success) return { ok: true, state: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  // Never echo the received value: it may be a key or secret.
  return { ok: false, error: `${path ? `${path}: ` : ''}${issue.message}` };
}
