/** The toolbar popup: active project, project list, add/edit form, delete confirmation. */
import { useRef, useState } from 'preact/hooks';
import type { EditableProject } from '../core/messages';
import { checkOsApiUrl } from '../core/curl-command';
import { EXPIRY_GUARD_MS } from '../core/token-guard';
import type { ProjectInput } from '../core/validate-project';
import type { HostAccessApi } from '../lib/browser-api';
import type { KeyringClient } from '../ui/keyring-client';
import { HostAccessNotice, apiHostMissing, useHostAccess } from './host-access-notice';
import { ProjectForm } from '../ui/project-form';
import { formTarget, saveFromForm } from '../ui/project-editing';
import { OAuthPanel } from './oauth-panel';
import { CopyCurl } from '../ui/copy-curl';
import { ActivityPanel } from './activity-panel';
import { ProjectList } from './project-list';
import { DamagedView, LockedView } from './blocked-views';
import { TopBar } from './top-bar';
import { StatusCard, type Attachment } from './status-card';
import { TabPin } from './tab-pin';
import { useKeyringState } from './use-keyring-state';
import { messageOf } from '../ui/action-messages';

type View =
  | { kind: 'list' }
  | { kind: 'add' }
  | { kind: 'edit'; project: EditableProject }
  | { kind: 'confirm-delete'; id: string };

/**
 * `hostAccess` is optional so that tests without a browser (happy-dom) can leave the notice out;
 * `tab` is the tab the popup acts on (null or absent: no page-specific controls); `openOptions`
 * opens the options page ("Activity and settings").
 */
export function App({
  client,
  hostAccess,
  tab,
  openOptions,
}: {
  client: KeyringClient;
  hostAccess?: HostAccessApi;
  tab?: { id: number; url?: string } | null;
  openOptions?: () => void;
}) {
  const { state, loadError, receivedAt, reload } = useKeyringState(client, tab);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  // The radio the user just chose, shown checked until the background confirms (or refuses) it.
  const [pendingActive, setPendingActive] = useState<{ id: string | null } | null>(null);
  const returnFocusTo = useRef<string | null>(null);
  const hostAccessState = useHostAccess(hostAccess);

  function back(focusId?: string | null) {
    setView({ kind: 'list' });
    const id = focusId ?? returnFocusTo.current;
    // After the list re-renders, put focus back where the user was.
    if (id) requestAnimationFrame(() => document.getElementById(id)?.focus());
  }

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const submit = (input: ProjectInput, use: boolean) => saveFromForm(client, input, use, back);

  if (!state) {
    return (
      <main class="popup">
        <TopBar />
        {loadError ? <p role="alert" class="alert">{`Could not load your projects: ${loadError}`}</p> : <p>Loading…</p>}
      </main>
    );
  }

  if (state.status === 'damaged') {
    return (
      <DamagedView
        problem={state.problem}
        busy={busy}
        error={actionError}
        onReset={() => void run(() => client.send('resetDamagedState', {}))}
      />
    );
  }

  if (state.lock === 'locked') return <LockedView state={state} client={client} onUnlocked={() => void reload()} />;

  const active = state.projects.find((p) => p.id === state.activeProjectId);
  const hasUsableToken =
    state.oauth?.expiresAt != null &&
    state.oauth.expiresAt - EXPIRY_GUARD_MS > state.now &&
    state.oauth.lastError?.kind !== 'rejected';

  if (view.kind === 'add' || view.kind === 'edit') {
    return (
      <main class="popup">
        <TopBar quiet />
        <ProjectForm
          {...formTarget(view.kind === 'edit' ? view.project : undefined, client, state.activeProjectId)}
          onSubmit={submit}
          onCancel={() => back()}
        />
      </main>
    );
  }

  const deleting = view.kind === 'confirm-delete' ? state.projects.find((p) => p.id === view.id) : undefined;
  const attachment: Attachment = !active
    ? 'off'
    : apiHostMissing(hostAccessState.missing)
      ? 'no-host-access'
      : !active.hasKey
        ? 'no-key'
        : active.authMode === 'oauth' && !hasUsableToken
          ? 'no-token'
          : 'attaching';

  return (
    <main class="popup">
      <TopBar>
        <p class="shortcut hint" title="Set on your browser’s extension shortcuts page">
          {state.shortcut ? (
            <>
              <kbd>{state.shortcut}</kbd> next project
            </>
          ) : (
            <>No keyboard shortcut is set.</>
          )}
        </p>
        {state.lock === 'unlocked' && (
          <button
            type="button"
            class="quiet"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await client.send('lockNow', {});
                await reload();
              })
            }
          >
            Lock now
          </button>
        )}
      </TopBar>
      {hostAccess && <HostAccessNotice access={hostAccess} state={hostAccessState} />}
      <StatusCard
        active={active}
        attachment={attachment}
        page={state.page}
        onAllowSite={(site) => {
          // The browser only shows its permission prompt during the click itself.
          const asked = hostAccess ? hostAccess.request([`${site}/*`]) : Promise.resolve(true);
          void run(async () => {
            if (!(await asked)) throw new Error(`The browser did not grant access to ${site}; nothing changed.`);
            await client.send('allowSite', { site });
          });
        }}
        onRevokeSite={(site) => void run(() => client.send('revokeSite', { site }))}
      >
        {active?.authMode === 'oauth' && state.oauth && (
          <OAuthPanel
            key={active.id}
            projectId={active.id}
            oauth={state.oauth}
            clockSkew={state.now - receivedAt}
            onRefresh={() => run(() => client.send('refreshTokenNow', { id: active.id }))}
            onCopy={async () => (await client.send('copyToken', { id: active.id })).token}
          />
        )}
        {state.page && state.page.kind !== 'unsupported' && state.projects.length > 0 && (
          <TabPin
            page={state.page}
            projects={state.projects}
            onChange={(projectId) =>
              void run(() =>
                projectId === undefined
                  ? client.send('unpinTab', { tabId: state.page!.tabId })
                  : client.send('pinTab', { tabId: state.page!.tabId, projectId }),
              )
            }
          />
        )}
      </StatusCard>
      {state.problem && (
        <p role="alert" class="alert">
          {state.problem}
        </p>
      )}
      {actionError && (
        <p role="alert" class="alert">
          {actionError}
        </p>
      )}

      <section aria-labelledby="active-heading" class="projects">
        <div class="section-head">
          <h2 id="active-heading">Active project</h2>
          <button
            type="button"
            id="add-project"
            class={state.projects.length === 0 ? 'primary' : undefined}
            onClick={() => {
              returnFocusTo.current = 'add-project';
              setView({ kind: 'add' });
            }}
          >
            Add project
          </button>
        </div>
        {state.projects.length === 0 ? (
          <p class="empty">
            No projects yet. Choose <strong>Add project</strong> and paste the API key from your project on the OS Data
            Hub (osdatahub.os.uk → API projects).
          </p>
        ) : null}
        <ProjectList
          projects={state.projects}
          activeProjectId={pendingActive ? pendingActive.id : state.activeProjectId}
          openMenuId={returnFocusTo.current?.replace(/^(edit|delete)-/, '') ?? null}
          onActivate={(id) => {
            setPendingActive({ id });
            // Keep showing the choice until the reloaded state has it, so the radio never flickers back.
            void run(async () => {
              await client.send('setActiveProject', { id });
              await reload();
            }).finally(() => setPendingActive(null));
          }}
          onEdit={(id) =>
            void run(async () => {
              returnFocusTo.current = `edit-${id}`;
              setView({ kind: 'edit', project: await client.send('getProjectForEdit', { id }) });
            })
          }
          onDelete={(id) => {
            returnFocusTo.current = `delete-${id}`;
            setView({ kind: 'confirm-delete', id });
          }}
          confirming={
            deleting && {
              id: deleting.id,
              render: () => (
                <div class="confirm" role="group" aria-labelledby="confirm-text">
                  <p id="confirm-text">
                    Delete <strong>{deleting.name}</strong>?{' '}
                    <span class="visually-hidden">Its key and secret are removed from this browser.</span>
                  </p>
                  <div class="actions">
                    <button
                      type="button"
                      class="danger solid"
                      disabled={busy}
                      ref={(el) => el?.focus()}
                      onClick={() =>
                        void run(async () => {
                          await client.send('deleteProject', { id: deleting.id });
                          back('add-project');
                        })
                      }
                    >
                      Confirm delete
                    </button>
                    <button type="button" onClick={() => back(`delete-${deleting.id}`)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ),
            }
          }
        />
      </section>
      {/* Copy as curl for an OS API page open in this tab; for any URL, see the options page. */}
      {tab?.url && checkOsApiUrl(tab.url).ok && <CopyCurl client={client} project={active} tabUrl={tab.url} />}
      <ActivityPanel client={client} tabId={tab?.id} onOpenOptions={openOptions} />
    </main>
  );
}
