/**
 * "Settings": record activity, desktop notifications (asks the browser for the `notifications`
 * permission during the click, and saves "on" only if it was granted), and the key age reminder.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { KEY_AGE_DAYS_RANGE, type Settings } from '../core/settings';
import { ActionMessages, messageOf } from '../ui/action-messages';
import type { KeyringClient } from '../ui/keyring-client';

interface Props {
  client: KeyringClient;
  /** Null until loaded: then only the other settings (children) are shown. */
  settings: Settings | null;
  /** Ask the browser for the notifications permission; call it in the click itself. */
  requestNotifications: () => Promise<boolean>;
  onChanged: () => unknown;
  /** More settings (Export and import). */
  children?: ComponentChildren;
}

const { min, max } = KEY_AGE_DAYS_RANGE;

/** One on/off setting: a checkbox with its visible label and a hint that describes it. */
function SettingToggle(props: {
  id: string;
  label: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (on: boolean) => void;
  children: ComponentChildren;
}) {
  return (
    <div class="choice">
      <input
        type="checkbox"
        id={props.id}
        checked={props.checked}
        disabled={props.disabled ?? false}
        aria-describedby={`${props.id}-hint`}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />{' '}
      <label for={props.id}>{props.label}</label>
      <p class="hint" id={`${props.id}-hint`}>
        {props.children}
      </p>
    </div>
  );
}

export function SettingsSection({ client, settings, requestNotifications, onChanged, children }: Props) {
  const [days, setDays] = useState<string | null>(null);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // What a click asked for, shown until the saved settings come back: clearing the messages
  // re-renders at once, and would otherwise put a checkbox back as it was mid-save.
  const [pending, setPending] = useState<Partial<Settings>>({});
  const shown = settings && { ...settings, ...pending };

  async function save(patch: Partial<Settings>, done: string, asked?: Promise<boolean>) {
    setPending(patch);
    setError(null);
    setStatus(null);
    try {
      if (asked && !(await asked)) throw new Error('The browser did not allow notifications, so they stay off.');
      await client.send('saveSettings', patch);
      await onChanged();
      setStatus(done);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPending({});
    }
  }

  function saveDays(text: string) {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      setDaysError(`Enter a whole number of days from ${min} to ${max}.`);
      return;
    }
    setDaysError(null);
    void save({ keyAgeDays: n }, `Key age reminder set to ${n} days.`);
  }

  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {shown && (
        <>
          <SettingToggle
            id="record-activity"
            label="Record activity"
            checked={shown.recordActivity}
            onChange={(on) =>
              void save({ recordActivity: on }, on ? 'Recording activity.' : 'Activity recording is off.')
            }
          >
            List OS API requests and count usage, in this browser session only. Keys are never recorded.
          </SettingToggle>
          <SettingToggle
            id="record-durations"
            label="Record durations"
            checked={shown.recordDurations}
            disabled={!shown.recordActivity}
            onChange={(on) =>
              void save(
                { recordDurations: on },
                on ? 'Recording how long each request takes.' : 'Durations are no longer recorded.',
              )
            }
          >
            Time each request. This needs a second browser event per request (measured: about a sixth of recording’s
            extra CPU); without it, a request's time is when it ended.
          </SettingToggle>
          <SettingToggle
            id="notifications"
            label="Desktop notifications"
            checked={shown.notifications}
            onChange={(on) => {
              // The browser shows its prompt only during the click: ask before anything is awaited.
              if (on) void save({ notifications: true }, 'Desktop notifications are on.', requestNotifications());
              else void save({ notifications: false }, 'Desktop notifications are off.');
            }}
          >
            Alerts (rejected keys, rate limits, failed token refreshes) also appear as desktop notifications. The
            browser asks for permission.
          </SettingToggle>
          <form
            class="field"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              saveDays(days ?? String(shown.keyAgeDays));
            }}
          >
            <label for="key-age-days">Key age reminder (days)</label>
            <div class="field-row inline">
              <input
                id="key-age-days"
                type="number"
                inputMode="numeric"
                min={min}
                max={max}
                step={1}
                value={days ?? String(shown.keyAgeDays)}
                aria-invalid={daysError ? 'true' : undefined}
                aria-describedby={daysError ? 'key-age-error key-age-hint' : 'key-age-hint'}
                onInput={(e) => setDays(e.currentTarget.value)}
              />
              <button type="submit">Save reminder</button>
            </div>
            {daysError && (
              <p class="field-error" id="key-age-error" role="alert">
                {daysError}
              </p>
            )}
            <p
              class="hint"
              id="key-age-hint"
            >{`Remind me to rotate a key once it is this many days old (${min} to ${max}).`}</p>
          </form>
        </>
      )}
      <ActionMessages error={error} status={status} />
      {children}
    </section>
  );
}
