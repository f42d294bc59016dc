/**
 * "Keys": per project, how old its key is, a reminder with the way to the OS Data Hub when
 * rotation is due, "I rotated it", and "Check access" (one probe per OS API, after a warning).
 */
import { useState } from 'preact/hooks';
import { ACCESS_CHECK_WARNING } from '../core/check-access';
import type { AccessReport, MonitoringView, ProjectMonitoring } from '../core/monitoring';
import { ActionMessages, messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';
import { AccessGrid } from './access-grid';

interface Props {
  client: KeyringClient;
  view: MonitoringView;
  onChanged: () => unknown;
}

function CheckAccess({ client, project }: { client: KeyringClient; project: ProjectMonitoring }) {
  const [step, setStep] = useState<'idle' | 'confirm' | 'running'>('idle');
  const [report, setReport] = useState<AccessReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const warningId = `check-warning-${project.id}`;

  async function run() {
    setStep('running');
    setError(null);
    try {
      setReport(await client.send('checkAccess', { id: project.id }));
    } catch (err) {
      setError(`Could not check access: ${messageOf(err)}`);
    } finally {
      setStep('idle');
    }
  }

  return (
    <div class="check-access">
      {step === 'confirm' ? (
        <div class="confirm" role="group" aria-labelledby={warningId}>
          <p id={warningId}>{ACCESS_CHECK_WARNING}</p>
          <div class="actions">
            <button type="button" class="primary" ref={(el) => el?.focus()} onClick={() => void run()}>
              Confirm
            </button>
            <button type="button" onClick={() => setStep('idle')}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="button" disabled={step === 'running'} onClick={() => setStep('confirm')}>
            Check access
          </button>
        </div>
      )}
      <ActionMessages
        error={error}
        status={
          step === 'running' ? 'Checking each OS API…' : report ? `Checked ${report.results.length} OS APIs.` : null
        }
      />
      {report && <AccessGrid report={report} projectName={project.name} />}
    </div>
  );
}

export function KeysSection({ client, view, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function rotated(p: ProjectMonitoring) {
    setError(null);
    setStatus(null);
    try {
      await client.send('markKeyRotated', { id: p.id });
      await onChanged();
      setStatus(`${p.name}: key age restarted from today.`);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Keys</h2>
      <p class="hint">{`Reminders come once a key is ${view.settings.keyAgeDays} days old (change it under Settings).`}</p>
      <ActionMessages error={error} status={status} />
      {view.projects.length === 0 && <p class="empty">No projects yet.</p>}
      {view.projects.map((p) => (
        <section key={p.id} aria-labelledby={`key-${p.id}`} class="project-key">
          <h3 id={`key-${p.id}`}>{p.name}</h3>
          <p class={p.keyAge.due ? 'hint warning' : 'hint'}>{p.keyAge.message}</p>
          <div class="actions">
            {p.keyAge.due && (
              <a href={view.keyRotationUrl} target="_blank" rel="noopener">
                Regenerate the key on the OS Data Hub
              </a>
            )}
            <button type="button" onClick={() => void rotated(p)}>
              I rotated it
            </button>
          </div>
          <CheckAccess client={client} project={p} />
        </section>
      ))}
    </section>
  );
}
