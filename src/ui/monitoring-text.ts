/**
 * Wording shared by the popup's Activity section, the options page and the DevTools panel, so all
 * say the same thing about the same request.
 */
import type { NoCredentialReason } from '../core/explain-failure';
import type { ApiUsage } from '../core/usage-window';

export const NONE_REASON_LABELS: Record<NoCredentialReason, string> = {
  off: 'Off',
  'site-not-allowed': 'Site not allowed',
  locked: 'Locked',
  'no-token': 'No token yet',
  'no-key': 'No key saved',
  passthrough: 'Token request, left as sent',
  extension: 'Sent by the extension',
  'page-credential': "The page's own credential",
  'not-sent': 'Not sent to OS',
  'worker-while-pinned': 'Worker request while a tab is pinned',
};

/** "42 of 50 a minute", plus why it is worth a look from 80 % of the limit. */
export function usageText(u: ApiUsage): string {
  return `${u.count} of ${u.limit} a minute${u.warning ? (u.count >= u.limit ? ': at the limit, OS refuses more (429)' : ': close to the limit') : ''}`;
}

/** The HTTP status as shown: 0 means the request got no answer. */
export function statusText(status: number): string {
  return status === 0 ? 'Network error' : String(status);
}

/**
 * One formatter for every call: toLocaleTimeString with options builds a new Intl formatter each
 * time (~0.5 ms), which the activity grid's scroll profile showed as its largest script cost.
 */
let timeFormat: Intl.DateTimeFormat | null = null;

/** A request's local time, as every list shows it: 14:03:27. */
export function timeText(ms: number): string {
  timeFormat ??= new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return timeFormat.format(ms);
}

export function failed(status: number): boolean {
  return status === 0 || status >= 400;
}
