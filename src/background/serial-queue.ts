/**
 * Runs async jobs one at a time in arrival order. Every read-modify-write of the stored state and
 * every rule update goes through one queue, so two popups saving at once, or a storage change
 * arriving mid-update, can never interleave.
 */
export type SerialQueue = <T>(job: () => Promise<T>) => Promise<T>;

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    // Keep the chain going whatever this job does; callers see its own result or error.
    tail = run.catch(() => undefined);
    return run;
  };
}
