/**
 * ProjectForm wired to the background, as the popup and the options page both use it: which
 * project it edits (and revealing its saved key or secret), and saving what it submits.
 */
import type { EditableProject } from '../core/messages';
import type { ProjectInput } from '../core/validate-project';
import { MessageFailure } from '../lib/messaging';
import { messageOf } from './action-messages';
import type { KeyringClient } from './keyring-client';
import type { ProjectFormProps } from './project-form';

/**
 * The form's props for editing `project`, or for adding one when it is undefined, as the popup and
 * the options page both need them: reveal reads the saved key or secret from the background.
 */
export function formTarget(
  project: EditableProject | undefined,
  client: KeyringClient,
  activeProjectId: string | null,
): Pick<ProjectFormProps, 'initial' | 'onReveal' | 'isActive'> {
  if (!project) return { isActive: false };
  return {
    initial: project,
    isActive: project.id === activeProjectId,
    onReveal: async (field) => (await client.send('revealSecret', { id: project.id, field })).value,
  };
}

/**
 * Save the form's project (with `use`, also make it the active one), then run `after`. A refusal
 * becomes the form's result: the background's message and the fields it names.
 */
export async function saveFromForm(
  client: KeyringClient,
  input: ProjectInput,
  use: boolean,
  after: () => unknown,
): ReturnType<ProjectFormProps['onSubmit']> {
  try {
    const { id } = await client.send('saveProject', input);
    if (use) await client.send('setActiveProject', { id });
    await after();
    return { ok: true };
  } catch (err) {
    if (err instanceof MessageFailure)
      return {
        ok: false,
        message: err.detail.message,
        ...(err.detail.fieldErrors ? { fieldErrors: err.detail.fieldErrors } : {}),
      };
    return { ok: false, message: messageOf(err) };
  }
}
