/**
 * The one typed message map between extension pages (popup) and the background. Names map to
 * argument and result types; errors cross the boundary as data in an envelope.
 */
import type { ImportPreview } from './import-projects';
import type { BackupInfo } from './sealed-backup';
import type { AccessReport, ActivityRow, MonitoringView } from './monitoring';
import type { Settings } from './settings';
import type { AuthMode, ProjectMode } from './project';
import type { PageKind } from './site-access';
import type { TokenStatus } from './token-lifecycle';
import type { RedactedProject } from './redact';
import type { FieldError, ProjectInput } from './validate-project';

/** What the popup renders. Redacted: no keys or secrets. */
export interface PopupState {
  /** 'damaged' when stored data failed validation or migration; nothing is attached then. */
  status: 'ok' | 'damaged';
  problem: string | null;
  projects: RedactedProject[];
  activeProjectId: string | null;
  /** The shortcut bound to "cycle project", as the browser reports it, or null if unbound. */
  shortcut: string | null;
  /** Token state of the active project when it uses OAuth 2. No token value. */
  oauth: (TokenStatus & { refreshing: boolean }) | null;
  /** The background's clock when this was made, so countdowns line up. */
  now: number;
  /** Sites besides the local ones that the user allowed (`scheme://host`). */
  allowedSites: string[];
  /** The tab the popup was opened for, when the popup said which. */
  page: PageAccess | null;
  /** The passphrase lock: off, on and locked (nothing attached), or on and unlocked for this browser session. */
  lock: 'off' | 'locked' | 'unlocked';
}

/** What the popup needs to know about the tab it was opened for. */
export interface PageAccess {
  tabId: number;
  kind: PageKind;
  /** `scheme://host` for local pages and sites. */
  site: string | null;
  /** Whether requests from this page carry credentials (allowed and granted; always for local pages). */
  allowed: boolean;
  /** Whether the site is in the allowed list (it may still lack the browser's permission). */
  listed: boolean;
  /** The project pinned to this tab: an id, null for Off, undefined when not pinned. */
  pin: string | null | undefined;
}

/**
 * A project for the edit form. Keys and secrets are not in it: the form shows them masked and
 * asks for them with `revealSecret` only when the user clicks a reveal control.
 */
export interface EditableProject {
  id: string;
  revision: number;
  name: string;
  maskedKey: string;
  hasSecret: boolean;
  authMode: AuthMode;
  mode: ProjectMode;
  badgeText: string;
  color: string;
}

/**
 * What the popup previewed for each entry of an import file, in order: sent back with
 * `applyImport` so that nothing is imported if the projects changed in the meantime.
 */
export interface ImportPlanEntry {
  action: 'add' | 'update' | 'skip';
  target?: { id: string; revision: number };
}

/**
 * What the in-tab viewer (issue 18) shows about the request behind its document. No key, no
 * token: names, modes and numbers only.
 */
export interface ViewerContext {
  /** The project whose credential was attached, with how; null when none was (or it is unknown). */
  project: { id: string; name: string; authMode: AuthMode } | null;
  /** Where that came from: the activity log's record of this very request, or the tab's current project. */
  source: 'activity' | 'current';
  /** From the activity log, when it recorded the request. */
  status: number | null;
  durationMs: number | null;
}

export interface MessageMap {
  getState: { args: { tab?: { id: number; url?: string } }; result: PopupState };
  /** After the browser granted the site's permission (requested by the popup at the click). */
  allowSite: { args: { site: string }; result: null };
  /** Remove the site from the list and give back the browser permission. */
  revokeSite: { args: { site: string }; result: null };
  /** Use a project (or Off: null) in this tab only, until it closes. */
  pinTab: { args: { tabId: number; projectId: string | null }; result: null };
  /** Back to the active project in this tab. */
  unpinTab: { args: { tabId: number }; result: null };
  getProjectForEdit: { args: { id: string }; result: EditableProject };
  /** One project's key or secret, on an explicit click of a reveal control. */
  revealSecret: { args: { id: string; field: 'key' | 'secret' }; result: { value: string } };
  saveProject: { args: ProjectInput; result: { id: string } };
  deleteProject: { args: { id: string }; result: null };
  /** Move a project to position `to` (0-based) in the list: the order of the popup, the menu and the shortcut. */
  moveProject: { args: { id: string; to: number }; result: null };
  setActiveProject: { args: { id: string | null }; result: null };
  /** Fetch a new OAuth token for the project now (also after a rejection). */
  refreshTokenNow: { args: { id: string }; result: null };
  /** The current OAuth token, for pasting into curl or Postman: only on an explicit click. */
  copyToken: { args: { id: string }; result: { token: string } };
  /**
   * Keep a copy of damaged data under a backup key and start with an empty state. When the damaged
   * document had the lock on, the lock is kept and the copy is sealed (`sealed`), see core/sealed-backup.ts.
   */
  resetDamagedState: { args: Record<string, never>; result: { backupKey: string; sealed: boolean } };
  /** The backups "Start again" kept, oldest first: when, size, sealed or not (never their content). */
  listBackups: { args: Record<string, never>; result: { backups: BackupInfo[] } };
  /** Delete the backup saved at `savedAt` for good. */
  deleteBackup: { args: { savedAt: number }; result: null };
  /** A curl command for an https://api.os.uk URL with the active project's credential: only on an explicit click. */
  /** With `projectId`, that project's credential (an activity row's), else the active project's. */
  copyCurlCommand: { args: { url: string; projectId?: string }; result: { command: string } };
  /** The projects as an export file (docs/export-format.md); keys and secrets only when asked for. */
  exportProjects: { args: { includeSecrets: boolean }; result: { fileName: string; text: string } };
  /** What importing the file would do. Without keys or secrets (`previewForDisplay`). */
  previewImport: { args: { text: string }; result: ImportPreview };
  /** Import the file (parsed again against the saved projects), all or nothing; `previewed` is what the user confirmed. */
  applyImport: {
    args: { text: string; previewed?: ImportPlanEntry[] };
    result: { added: number; updated: number; skipped: number };
  };
  /** What recovering the projects of the backup saved at `savedAt` would do: the import preview, without keys. */
  previewBackupImport: { args: { savedAt: number }; result: ImportPreview };
  /** Import the projects of that backup, all or nothing, as `applyImport` does with a file. */
  applyBackupImport: {
    args: { savedAt: number; previewed?: ImportPlanEntry[] };
    result: { added: number; updated: number; skipped: number };
  };
  /** Turn the passphrase lock on: keys and secrets are sealed, and stay unlocked for this browser session. */
  /**
   * With `backups`, what to do with backups still in plain text: seal them with the new lock, or
   * delete them. Refused with code `backups` when there are such backups and no choice was given.
   */
  enableLock: { args: { passphrase: string; backups?: 'seal' | 'delete' }; result: null };
  /** Unlock for this browser session. A wrong passphrase fails with code `wrong-passphrase`. */
  unlock: { args: { passphrase: string }; result: null };
  /** Lock now: nothing is attached until unlocked again. */
  lockNow: { args: Record<string, never>; result: null };
  changePassphrase: { args: { old: string; new: string }; result: null };
  /** Turn the lock off: keys and secrets are stored as before the lock. */
  disableLock: { args: { passphrase: string }; result: null };
  /**
   * Recorded OS API requests, newest first: of one tab when `tabId` is given; at most `limit` (default all).
   * With `afterSeq` and the `context` of an earlier answer, and while that context still holds (the
   * projects' names, modes and Check access reports that rows are explained with), only the rows
   * newer than `afterSeq` come back, with `since` saying which older ones are still in the log.
   */
  getActivity: { args: { tabId?: number; limit?: number; afterSeq?: number; context?: string }; result: ActivityReply };
  /** Forget the activity log of this browser session (usage counts stay). */
  clearActivity: { args: Record<string, never>; result: null };
  /** Usage against plan limits, alerts, key ages, charts data and settings. */
  getMonitoring: { args: Record<string, never>; result: MonitoringView };
  /** The user has seen the alerts: clear them and the badge's warning state. */
  alertsSeen: { args: Record<string, never>; result: null };
  /** The user regenerated the project's key on the OS Data Hub: restart its age from now. */
  markKeyRotated: { args: { id: string }; result: null };
  /** Probe each OS API once with the project's credential (one transaction per API). */
  checkAccess: { args: { id: string }; result: AccessReport };
  getSettings: { args: Record<string, never>; result: Settings };
  /** Change some settings; all given fields must be valid or nothing changes. */
  saveSettings: { args: Partial<Settings>; result: Settings };
  /**
   * The in-tab viewer only (a content script on an api.os.uk document): which project and mode
   * carried its document's request. The background takes the tab and URL from the sender.
   */
  viewerContext: { args: Record<string, never>; result: ViewerContext };
  /** The way out of a forgotten passphrase: clear keys and secrets, keep everything else, lock off. */
  forgetLockedSecrets: { args: Record<string, never>; result: null };
}

export type MessageName = keyof MessageMap;

export interface MessageRequest<N extends MessageName = MessageName> {
  /** Namespaces our messages so foreign ones are ignored. */
  channel: 'os-api-keyring';
  type: N;
  args: MessageMap[N]['args'];
}

export interface MessageError {
  code: string;
  message: string;
  fieldErrors?: FieldError[];
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: MessageError };

/** The answer to getActivity. */
export interface ActivityReply {
  rows: ActivityRow[];
  recording: boolean;
  now: number;
  /** What the rows' project names and explanations were made from; pass it back with afterSeq. */
  context?: string;
  /** Present when only newer rows were sent: the oldest seq still in the log (null: the log is empty). */
  since?: { oldestSeq: number | null };
}
