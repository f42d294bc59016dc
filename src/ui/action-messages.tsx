import { describeError } from '../lib/messaging';

/** The text of anything thrown by an action (our MessageFailure carries the background's message). */
export const messageOf = describeError;

/** The outcome of an action in a popup section: an error (role="alert") and/or a status line (role="status"). */
export function ActionMessages({ error, status }: { error: string | null; status: string | null }) {
  return (
    <>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {status && (
        <p role="status" class="status">
          {status}
        </p>
      )}
    </>
  );
}
