/** The background's answers to the popup's messages (see core/messages.ts for the map). */
import { credentialOf } from '../core/credential';
import { checkOsApiUrl, curlCommand } from '../core/curl-command';
import type { PageAccess } from '../core/messages';
import type { KeyringState } from '../core/project';
import { maskKey, redactProject } from '../core/redact';
import { allowSite, deleteProject, moveProject, revokeSite, saveProject } from '../core/state-updates';
import { allowedSiteHosts, pageSite, patternForSite } from '../core/site-access';
import { createBackupHandlers } from './backup-handlers';
import type { BackgroundContext } from './context';
import { requireOpenState, requireProject, requireUnlocked } from './guards';
import { createImportExportHandlers } from './import-export-handlers';
import { createLockHandlers } from './lock-handlers';
import { createMonitoringHandlers } from './monitoring-handlers';
import type { Handlers } from '../lib/message-handler';
import { MessageFailure } from '../lib/messaging';
import { checkViewerCurlUrl, createViewerHandlers } from './viewer-handlers';

/** The whole context: this file also wires the other handler groups, each of which takes its part. */
type Deps = BackgroundContext;

export function createMessageHandlers(d: Deps): Handlers {
  /** The state, with the secrets when the lock is off or unlocked; while locked, keys and secrets are blank. */
  const loadOrFail = async (): Promise<KeyringState> => (await requireOpenState(d)).state;
  /** The state with its secrets: refused while locked. */
  const loadUnlocked = (): Promise<KeyringState> => requireUnlocked(d);

  async function oauthProject(id: string) {
    const project = requireProject(await loadUnlocked(), id);
    if (project.authMode !== 'oauth')
      throw new MessageFailure({ code: 'not-oauth', message: 'This project does not use OAuth 2.' });
    return project;
  }

  return {
    ...createImportExportHandlers(d),
    ...createLockHandlers(d),
    ...createBackupHandlers(d),
    ...createMonitoringHandlers(d),
    ...createViewerHandlers(d),
    async getState({ tab }) {
      await d.ready();
      const [result, commands] = await Promise.all([
        d.queue(() => d.loadOpened()),
        d.browser.commands.getAll().catch(() => []),
      ]);
      const shortcut = commands.find((c) => c.name === d.cycleCommand)?.shortcut || null;
      const now = d.env.now();
      if (!result.ok)
        return {
          status: 'damaged',
          problem: result.error,
          projects: [],
          activeProjectId: null,
          shortcut,
          oauth: null,
          now,
          allowedSites: [],
          page: null,
          lock: 'off',
        };
      const loaded = result.opened;
      const active = loaded.state.projects.find((p) => p.id === loaded.state.activeProjectId);
      let page: PageAccess | null = null;
      if (tab) {
        const site = pageSite(tab.url);
        const [granted, tabPins] = await Promise.all([d.browser.permissions.grantedOrigins(), d.pins.load()]);
        const listed = site.kind === 'site' && loaded.state.allowedSites.includes(site.site!);
        page = {
          tabId: tab.id,
          kind: site.kind,
          site: site.site ?? null,
          allowed:
            site.kind === 'local' ||
            site.kind === 'os-api' ||
            (listed && allowedSiteHosts([site.site!], granted).length > 0),
          listed,
          pin: tab.id in tabPins ? tabPins[tab.id] : undefined,
        };
      }
      return {
        status: 'ok',
        problem: d.reconciler.lastRuleError(),
        projects: loaded.state.projects.map(redactProject),
        activeProjectId: loaded.state.activeProjectId,
        shortcut,
        oauth: active?.authMode === 'oauth' && loaded.mode !== 'locked' ? await d.tokens.view(active) : null,
        now,
        allowedSites: loaded.state.allowedSites,
        page,
        lock: loaded.mode,
      };
    },
    async getProjectForEdit({ id }) {
      const p = (await loadOrFail()).projects.find((x) => x.id === id);
      if (!p) throw new MessageFailure({ code: 'not-found', message: 'This project no longer exists.' });
      return {
        id: p.id,
        revision: p.revision,
        name: p.name,
        maskedKey: maskKey(p.key),
        hasSecret: p.secret.length > 0,
        authMode: p.authMode,
        mode: p.mode,
        badgeText: p.badgeText,
        color: p.color,
      };
    },
    async revealSecret({ id, field }) {
      const p = (await loadUnlocked()).projects.find((x) => x.id === id);
      if (!p) throw new MessageFailure({ code: 'not-found', message: 'This project no longer exists.' });
      return { value: field === 'key' ? p.key : p.secret };
    },
    async saveProject(input) {
      const project = await d.mutate((s) => saveProject(s, input, { now: d.env.now(), newId: () => d.env.newId() }), {
        needsSecrets: true,
      });
      return { id: project.id };
    },
    async deleteProject({ id }) {
      await d.mutate((s) => deleteProject(s, id));
      return null;
    },
    async moveProject({ id, to }) {
      await d.mutate((s) => moveProject(s, id, to));
      return null;
    },
    async allowSite({ site }) {
      // Only a site whose permission the browser has really granted (the popup asked at the click).
      const granted = await d.browser.permissions.grantedOrigins();
      if (!granted.includes(patternForSite(site))) {
        throw new MessageFailure({
          code: 'not-granted',
          message: `The browser has not granted access to ${site}, so it was not allowed.`,
        });
      }
      await d.mutate((s) => allowSite(s, site));
      return null;
    },
    async revokeSite({ site }) {
      await d.mutate((s) => revokeSite(s, site));
      await d.browser.permissions.remove([patternForSite(site)]).catch(() => false);
      await d.reconcile();
      return null;
    },
    async pinTab({ tabId, projectId }) {
      if (projectId !== null && !(await loadOrFail()).projects.some((p) => p.id === projectId)) {
        throw new MessageFailure({ code: 'not-found', message: 'That project no longer exists.' });
      }
      await d.pins.pin(tabId, projectId);
      await d.reconcile();
      return null;
    },
    async unpinTab({ tabId }) {
      await d.pins.unpin(tabId);
      await d.reconcile();
      return null;
    },
    async setActiveProject({ id }) {
      await d.activate(id);
      return null;
    },
    async refreshTokenNow({ id }) {
      await d.tokens.refresh(await oauthProject(id), { quiet: true }); // applied by the reconcile below
      await d.reconcile();
      return null;
    },
    async copyToken({ id }) {
      const token = await d.tokens.token(await oauthProject(id));
      if (!token)
        throw new MessageFailure({
          code: 'no-token',
          message: 'There is no valid token to copy yet. Choose Refresh token now.',
        });
      return { token: token.accessToken };
    },
    async copyCurlCommand({ url, projectId }, caller) {
      checkViewerCurlUrl(url, caller);
      const checked = checkOsApiUrl(url);
      if (!checked.ok) throw new MessageFailure({ code: 'invalid-url', message: checked.error });
      const state = await loadUnlocked();
      const project = state.projects.find((p) => p.id === (projectId ?? state.activeProjectId));
      if (!project) {
        throw new MessageFailure(
          projectId
            ? { code: 'not-found', message: 'That project no longer exists.' }
            : { code: 'off', message: 'No project is active: choose one, then copy again.' },
        );
      }
      const token = project.authMode === 'oauth' ? await d.tokens.token(project) : null;
      const credential = credentialOf(project, token ? { [project.id]: token } : {}, d.env.now());
      if (!credential && project.authMode === 'oauth') {
        throw new MessageFailure({
          code: 'no-token',
          message: 'There is no valid token to put in the command yet. Choose Refresh token now.',
        });
      }
      if (!credential)
        throw new MessageFailure({
          code: 'no-key',
          message: 'This project has no key saved. Paste its key from the OS Data Hub first.',
        });
      return { command: curlCommand(checked.url, credential) };
    },
  };
}
