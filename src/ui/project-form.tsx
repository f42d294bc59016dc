/**
 * Add / edit form. Field errors come from the background's validation (the single source of
 * truth) and are shown in one role="alert" region plus next to each field.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EditableProject } from '../core/messages';
import { AUTH_MODE_LABELS, PROJECT_MODES, PROJECT_MODE_LABELS, type AuthMode, type ProjectMode } from '../core/project';
import { MAX_BADGE_LENGTH, deriveBadgeText, type FieldError, type ProjectInput } from '../core/validate-project';

export interface ProjectFormProps {
  /** Absent when adding. */
  initial?: EditableProject;
  /** Fetch the saved key or secret, on an explicit click of a reveal control (editing only). */
  onReveal?: (field: 'key' | 'secret') => Promise<string>;
  /** `use`: the user chose "Save and use" (make this the active project once saved). */
  onSubmit: (
    input: ProjectInput,
    use: boolean,
  ) => Promise<{ ok: true } | { ok: false; message: string; fieldErrors?: FieldError[] }>;
  onCancel: () => void;
  /** Whether the project being edited is already the active one (then "Save and use" is not offered). */
  isActive?: boolean;
}

const MODES: AuthMode[] = ['header', 'query', 'oauth'];
/**
 * Shown while query mode is chosen (issue 14, item 3): what it exposes, said where it is chosen.
 * docs/security.md says the same; popup-forms tests check it is shown.
 */
export const QUERY_MODE_EXPOSURE =
  'The key goes in the URL: page scripts can read it (Response.url), it shows in the address bar and history, and OS repeats it in WMTS capabilities and vector tile styles. Choose Key header or OAuth 2 unless your client needs ?key=.';
const MODE_HINTS: Record<AuthMode, string> = {
  header: 'a key: header',
  query: 'key= in the URL',
  oauth: 'tokens from key + secret',
};

export function ProjectForm({ initial, onReveal, onSubmit, onCancel, isActive = false }: ProjectFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  // When editing, key and secret start blank (= keep the saved ones) and are shown only on request.
  const [key, setKey] = useState('');
  const [secret, setSecret] = useState('');
  const [secretVisible, setSecretVisible] = useState(false);
  const [revealError, setRevealError] = useState<string | null>(null);
  const [authMode, setAuthMode] = useState<AuthMode>(initial?.authMode ?? 'header');
  const [projectMode, setProjectMode] = useState<ProjectMode>(initial?.mode ?? 'dev');
  const [badgeText, setBadgeText] = useState(initial?.badgeText ?? '');
  const [color, setColor] = useState(initial?.color ?? '');
  const [errors, setErrors] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => nameRef.current?.focus(), []);

  async function reveal(field: 'key' | 'secret') {
    if (!onReveal) return;
    try {
      const value = await onReveal(field);
      if (field === 'key') setKey(value);
      else {
        setSecret(value);
        setSecretVisible(true);
      }
      setRevealError(null);
    } catch (err) {
      setRevealError(err instanceof Error ? err.message : String(err));
    }
  }

  const fieldError = (field: FieldError['field']) => errors?.fieldErrors.find((e) => e.field === field)?.message;

  async function submit(event: Event, use = false) {
    event.preventDefault();
    setSaving(true);
    const input: ProjectInput = {
      ...(initial ? { id: initial.id, revision: initial.revision } : {}),
      name,
      key,
      // The secret field shows for OAuth 2 only; for the other modes blank keeps a saved secret.
      secret: authMode === 'oauth' ? secret : '',
      authMode,
      mode: projectMode,
      badgeText,
      ...(color ? { color } : {}),
    };
    const result = await onSubmit(input, use);
    setSaving(false);
    if (!result.ok) setErrors({ message: result.message, fieldErrors: result.fieldErrors ?? [] });
  }

  const title = initial ? `Edit ${initial.name}` : 'Add project';
  const describedBy = (field: FieldError['field'], hint?: string) =>
    [hint, fieldError(field) ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <form class="project-form" onSubmit={(event) => void submit(event)} aria-labelledby="form-heading" noValidate>
      <h2 id="form-heading">{title}</h2>
      <div role="alert" class="alert" aria-live="assertive">
        {errors && (
          <>
            <p>Not saved. Nothing was changed.</p>
            <ul>
              {(errors.fieldErrors.length ? errors.fieldErrors.map((e) => e.message) : [errors.message]).map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        )}
      </div>

      <fieldset class="field">
        <legend id="auth-legend">Authentication</legend>
        <div role="radiogroup" aria-labelledby="auth-legend" class="auth-choice">
          {MODES.map((mode) => (
            <div class="choice" key={mode}>
              <input
                type="radio"
                name="auth-mode"
                id={`auth-${mode}`}
                value={mode}
                checked={authMode === mode}
                aria-describedby={
                  mode === 'query' && authMode === 'query' ? 'auth-query-hint query-exposure' : `auth-${mode}-hint`
                }
                onChange={() => setAuthMode(mode)}
              />
              <label for={`auth-${mode}`}>{AUTH_MODE_LABELS[mode]}</label>
              <span class="hint" id={`auth-${mode}-hint`}>
                {MODE_HINTS[mode]}
              </span>
            </div>
          ))}
        </div>
        {authMode === 'query' && (
          <p class="hint" id="query-exposure">
            {QUERY_MODE_EXPOSURE}
          </p>
        )}
        {fieldError('authMode') && <p class="field-error">{fieldError('authMode')}</p>}
      </fieldset>

      <div class="field">
        <label for="project-name">Name</label>
        <input
          id="project-name"
          ref={nameRef}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          autocomplete="off"
          required
          aria-invalid={fieldError('name') ? 'true' : undefined}
          aria-describedby={describedBy('name')}
        />
        {fieldError('name') && (
          <p class="field-error" id="name-error">
            {fieldError('name')}
          </p>
        )}
      </div>

      <div class="field">
        <label for="project-key">API key</label>
        <input
          id="project-key"
          class="mono"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
          required
          placeholder={initial ? `unchanged (${initial.maskedKey})` : undefined}
          aria-invalid={fieldError('key') ? 'true' : undefined}
          aria-describedby={describedBy('key', 'key-hint')}
        />
        <p class="hint" id="key-hint">
          {initial ? 'Leave blank to keep the saved key.' : 'From your project on the OS Data Hub.'}
        </p>
        {initial && !key && (
          <button type="button" class="link" onClick={() => void reveal('key')}>
            Reveal key
          </button>
        )}
        {fieldError('key') && (
          <p class="field-error" id="key-error">
            {fieldError('key')}
          </p>
        )}
      </div>

      {authMode === 'oauth' && (
        <div class="field">
          <label for="project-secret">API secret</label>
          <input
            id="project-secret"
            type={secretVisible ? 'text' : 'password'}
            class="mono"
            value={secret}
            placeholder={initial?.hasSecret ? 'unchanged (saved)' : undefined}
            onInput={(e) => setSecret(e.currentTarget.value)}
            autocomplete="off"
            aria-invalid={fieldError('secret') ? 'true' : undefined}
            aria-describedby={describedBy('secret', 'secret-hint')}
          />
          <p class="hint" id="secret-hint">
            OAuth 2 needs it with the key.{initial?.hasSecret ? ' Leave blank to keep the saved secret.' : ''}
          </p>
          {initial?.hasSecret && !secret ? (
            <button type="button" class="link" onClick={() => void reveal('secret')}>
              Reveal secret
            </button>
          ) : (
            secret && (
              <button
                type="button"
                class="link"
                aria-pressed={secretVisible}
                onClick={() => setSecretVisible(!secretVisible)}
              >
                Show secret
              </button>
            )
          )}
          {revealError && <p class="field-error">{revealError}</p>}
          {fieldError('secret') && (
            <p class="field-error" id="secret-error">
              {fieldError('secret')}
            </p>
          )}
        </div>
      )}

      <fieldset class="field">
        {/* OS's word for Development/Live is the project's "mode" (its "plan" is OpenData/Premium/Public Sector). */}
        <legend id="project-mode-legend">Mode on the OS Data Hub</legend>
        <div role="radiogroup" aria-labelledby="project-mode-legend" class="plan-choice">
          {PROJECT_MODES.map((p) => (
            <div class="choice" key={p}>
              <input
                type="radio"
                name="project-mode"
                id={`project-mode-${p}`}
                value={p}
                checked={projectMode === p}
                onChange={() => setProjectMode(p)}
              />
              <label for={`project-mode-${p}`}>{PROJECT_MODE_LABELS[p]}</label>
            </div>
          ))}
        </div>
      </fieldset>

      <div class="field-row">
        <div class="field">
          <label for="project-badge">Badge text</label>
          <input
            id="project-badge"
            value={badgeText}
            maxLength={MAX_BADGE_LENGTH}
            placeholder={deriveBadgeText(name) || 'ABC'}
            onInput={(e) => setBadgeText(e.currentTarget.value)}
            aria-invalid={fieldError('badgeText') ? 'true' : undefined}
            aria-describedby={describedBy('badgeText', 'badge-hint')}
          />
          <p class="hint" id="badge-hint">
            Up to {MAX_BADGE_LENGTH} characters; blank uses the name.
          </p>
        </div>
        <div class="field">
          <label for="project-colour">Badge colour</label>
          <input
            id="project-colour"
            type="color"
            value={color || '#1d70b8'}
            onInput={(e) => setColor(e.currentTarget.value)}
          />
        </div>
      </div>

      <div class="actions">
        {!isActive && (
          <button type="button" class="primary" disabled={saving} onClick={(event) => void submit(event, true)}>
            Save and use
          </button>
        )}
        <button type="submit" class={isActive ? 'primary' : undefined} disabled={saving}>
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
