/** Schemas for message payloads: everything arriving over runtime messaging is checked first. */
import * as v from 'valibot';
import { MAX_CURL_URL_LENGTH } from './curl-command';
import { MAX_IMPORT_BYTES, MAX_IMPORT_PROJECTS } from './import-limits';
import { AUTH_MODES, PROJECT_MODES } from './project';
import type { MessageMap, MessageName } from './messages';

const Empty = v.strictObject({});
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const TabId = v.pipe(v.number(), v.integer(), v.minValue(0));

const ProjectInputSchema = v.strictObject({
  id: v.optional(Id),
  revision: v.optional(v.pipe(v.number(), v.integer())),
  name: v.pipe(v.string(), v.maxLength(1000)),
  key: v.pipe(v.string(), v.maxLength(10_000)),
  secret: v.pipe(v.string(), v.maxLength(10_000)),
  authMode: v.picklist(AUTH_MODES),
  mode: v.optional(v.picklist(PROJECT_MODES)),
  badgeText: v.optional(v.pipe(v.string(), v.maxLength(100))),
  color: v.optional(v.pipe(v.string(), v.maxLength(100))),
});

/**
 * An import file's text. The core refuses more than 1 MiB with a clear message; anything beyond
 * twice that is not even read, so the message itself cannot be used to make the background work.
 */
export const MAX_IMPORT_MESSAGE_CHARS = 2 * MAX_IMPORT_BYTES;
const ImportText = v.pipe(v.string(), v.maxLength(MAX_IMPORT_MESSAGE_CHARS));
const ImportPlanSchema = v.pipe(
  v.array(
    v.strictObject({
      action: v.picklist(['add', 'update', 'skip']),
      target: v.optional(v.strictObject({ id: Id, revision: v.pipe(v.number(), v.integer()) })),
    }),
  ),
  v.maxLength(MAX_IMPORT_PROJECTS),
);

const Passphrase = v.pipe(v.string(), v.maxLength(1000));
/** A backup of damaged data is named by when it was saved (ms since the epoch). */
const SavedAt = v.pipe(v.number(), v.integer(), v.minValue(0));

const ARG_SCHEMAS: { [N in MessageName]: v.GenericSchema<unknown, MessageMap[N]['args']> } = {
  getState: v.strictObject({
    tab: v.optional(v.strictObject({ id: TabId, url: v.optional(v.pipe(v.string(), v.maxLength(8192))) })),
  }),
  allowSite: v.strictObject({ site: v.pipe(v.string(), v.maxLength(300)) }),
  revokeSite: v.strictObject({ site: v.pipe(v.string(), v.maxLength(300)) }),
  pinTab: v.strictObject({ tabId: TabId, projectId: v.nullable(Id) }),
  unpinTab: v.strictObject({ tabId: TabId }),
  getProjectForEdit: v.strictObject({ id: Id }),
  revealSecret: v.strictObject({ id: Id, field: v.picklist(['key', 'secret']) }),
  saveProject: ProjectInputSchema,
  deleteProject: v.strictObject({ id: Id }),
  moveProject: v.strictObject({ id: Id, to: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  setActiveProject: v.strictObject({ id: v.nullable(Id) }),
  refreshTokenNow: v.strictObject({ id: Id }),
  copyToken: v.strictObject({ id: Id }),
  resetDamagedState: Empty,
  listBackups: Empty,
  deleteBackup: v.strictObject({ savedAt: SavedAt }),
  copyCurlCommand: v.strictObject({
    url: v.pipe(v.string(), v.maxLength(MAX_CURL_URL_LENGTH)),
    projectId: v.optional(Id),
  }),
  exportProjects: v.strictObject({ includeSecrets: v.boolean() }),
  previewImport: v.strictObject({ text: ImportText }),
  applyImport: v.strictObject({ text: ImportText, previewed: v.optional(ImportPlanSchema) }),
  previewBackupImport: v.strictObject({ savedAt: SavedAt }),
  applyBackupImport: v.strictObject({
    savedAt: SavedAt,
    previewed: v.optional(ImportPlanSchema),
  }),
  enableLock: v.strictObject({ passphrase: Passphrase, backups: v.optional(v.picklist(['seal', 'delete'])) }),
  unlock: v.strictObject({ passphrase: Passphrase }),
  lockNow: Empty,
  changePassphrase: v.strictObject({ old: Passphrase, new: Passphrase }),
  disableLock: v.strictObject({ passphrase: Passphrase }),
  getActivity: v.strictObject({
    tabId: v.optional(TabId),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
    afterSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    context: v.optional(v.pipe(v.string(), v.maxLength(1_000_000))),
  }),
  clearActivity: Empty,
  getMonitoring: Empty,
  alertsSeen: Empty,
  markKeyRotated: v.strictObject({ id: Id }),
  checkAccess: v.strictObject({ id: Id }),
  getSettings: Empty,
  // Field values are checked by applySettingsPatch, which explains what is wrong.
  saveSettings: v.strictObject({
    recordActivity: v.optional(v.boolean()),
    recordDurations: v.optional(v.boolean()),
    notifications: v.optional(v.boolean()),
    keyAgeDays: v.optional(v.number()),
    viewer: v.optional(v.boolean()),
  }),
  forgetLockedSecrets: Empty,
  viewerContext: Empty,
};

/** Parse an incoming message. Returns null for anything that is not one of ours. */
export function parseMessage(raw: unknown): { type: MessageName; args: unknown } | { error: string } | null {
  if (!raw || typeof raw !== 'object') return null;
  const msg = raw as { channel?: unknown; type?: unknown; args?: unknown };
  if (msg.channel !== 'os-api-keyring') return null;
  if (typeof msg.type !== 'string' || !Object.hasOwn(ARG_SCHEMAS, msg.type)) return { error: `Unknown message type.` };
  const type = msg.type as MessageName;
  const parsed = v.safeParse(ARG_SCHEMAS[type], msg.args);
  if (!parsed.success) return { error: `Malformed ${type} message.` };
  return { type, args: parsed.output };
}
