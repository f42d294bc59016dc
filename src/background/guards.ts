/**
 * The checks every handler makes before it acts, written once: the stored state must be readable,
 * the keys unlocked for anything that uses them, and the project must still exist. Each throws a
 * MessageFailure whose message the popup shows as it is.
 */
import type { KeyringState, Project } from '../core/project';
import { MessageFailure } from '../lib/messaging';
import type { BackgroundContext } from './context';
import { LOCKED_MESSAGE, type OpenedState } from './lock-session';

type Reader = Pick<BackgroundContext, 'queue' | 'loadOpened'>;

/** The opened state (secrets in place unless locked), read in the queue; refused when the stored data is damaged. */
export async function requireOpenState(ctx: Reader): Promise<OpenedState> {
  const loaded = await ctx.queue(() => ctx.loadOpened());
  if (!loaded.ok) throw new MessageFailure({ code: 'damaged', message: loaded.error });
  return loaded.opened;
}

/** The state with its keys and secrets: refused while locked (`why` adds what still works). */
export async function requireUnlocked(ctx: Reader, why = ''): Promise<KeyringState> {
  const opened = await requireOpenState(ctx);
  if (opened.mode === 'locked')
    throw new MessageFailure({ code: 'locked', message: why ? `${LOCKED_MESSAGE} ${why}` : LOCKED_MESSAGE });
  return opened.state;
}

/** The project with this id: refused when it no longer exists. */
export function requireProject(state: KeyringState, id: string): Project {
  const project = state.projects.find((p) => p.id === id);
  if (!project) throw new MessageFailure({ code: 'not-found', message: 'This project no longer exists.' });
  return project;
}
