/**
 * Let the fake browser's queued work run to completion: storage.onChanged events (dispatched as
 * microtasks), the reconciles they queue and the promise chains after them. Each round yields one
 * macrotask; 30 rounds covers the longest chain in the background (load → apply → token refresh →
 * reconcile again) with room to spare.
 */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
