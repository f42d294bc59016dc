import type { CDPSession } from 'playwright-core';

/** HAR entries of a page's api.os.uk requests over CDP (scripts/cdp-har.mjs). */
export function recordApiRequests(
  cdp: CDPSession,
  onEntry: (entry: Record<string, unknown>, requestId: string) => void,
  recording?: () => boolean,
): void;
