/**
 * The activity monitor's alert store: unseen alerts, the seen history and which token failures
 * were already alerted, in `storage.session` under their own small key, read at once when the
 * worker starts (the badge needs them; the rest of the monitor's records are read only on demand).
 */
import { alertId, alertMessages, raiseAlert, rememberSeen } from '../core/alerts';
import { restoreAlertState, type AlertState } from '../core/monitor-records';
import type { Alert } from '../core/monitoring';
import { STORAGE, type StorageEntry } from '../core/storage-registry';
import type { KeyedStorage } from '../lib/storage';

export type NewAlert = Parameters<typeof raiseAlert>[1];

export interface AlertStore {
  /** Resolves once the stored alerts have been read. */
  loaded: Promise<void>;
  unseen(): readonly Alert[];
  seen(): readonly Alert[];
  /** Raise (or count again) an alert; a new one is also notified. */
  raise(a: NewAlert): void;
  /** Token failures: alert once per new failure count; a project back to 0 failures may alert again later. */
  noteTokenFailures(
    failures: { projectId: string; projectName: string; failures: number; message: string }[],
    now: number,
  ): void;
  /** Move every unseen alert into the seen history. False when there was none. */
  markAllSeen(): boolean;
  /** The write to make at the next flush, if anything changed. */
  takeWrite(): [StorageEntry, unknown] | null;
}

export function createAlertStore(
  storage: KeyedStorage,
  hooks: { onAlertsChanged(): void; notify(alert: Alert): void; changed(): void },
): AlertStore {
  let state: AlertState = { alerts: [], tokenAlerted: {} };
  let dirty = false;

  const loaded = storage
    .read(STORAGE.monitorAlerts)
    .then((saved) => {
      state = restoreAlertState(saved);
      if (state.alerts.length) hooks.onAlertsChanged();
    })
    .catch(() => undefined);

  function markDirty(): void {
    dirty = true;
    hooks.changed();
  }

  function setAlerts(next: Alert[], fresh: Alert | null): void {
    state = { ...state, alerts: next };
    markDirty();
    hooks.onAlertsChanged();
    if (fresh) hooks.notify(fresh);
  }

  function raise(a: NewAlert): void {
    const { alerts, fresh } = raiseAlert(state.alerts, a);
    const id = alertId(a.kind, a.projectId, a.api);
    setAlerts(alerts, fresh ? (alerts.find((x) => x.id === id) ?? null) : null);
  }

  return {
    loaded,
    unseen: () => state.alerts,
    seen: () => state.seen ?? [],
    raise,
    noteTokenFailures(failures, now) {
      const tokenAlerted = { ...state.tokenAlerted };
      const fresh = failures.filter((f) => f.failures > 0 && tokenAlerted[f.projectId] !== f.failures);
      for (const f of failures) {
        if (f.failures === 0) delete tokenAlerted[f.projectId];
        else tokenAlerted[f.projectId] = f.failures;
      }
      if (JSON.stringify(tokenAlerted) === JSON.stringify(state.tokenAlerted)) return;
      state = { ...state, tokenAlerted };
      markDirty();
      for (const f of fresh)
        raise({
          kind: 'token-refresh',
          projectId: f.projectId,
          api: 'oauth',
          at: now,
          message: alertMessages.tokenRefresh(f.projectName, f.message),
        });
    },
    markAllSeen() {
      if (state.alerts.length === 0) return false;
      state = { ...state, seen: rememberSeen(state.seen ?? [], state.alerts) };
      setAlerts([], null);
      return true;
    },
    takeWrite() {
      if (!dirty) return null;
      dirty = false;
      return [STORAGE.monitorAlerts, state];
    },
  };
}
