/**
 * A controllable clock, timers and token endpoint for background tests: time moves only when a
 * test calls `advance`, and the token endpoint answers whatever the test scripts.
 */
import { webcrypto } from 'node:crypto';
import type { BackgroundEnv } from '../../src/background/start-background';
import type { CryptoDeps } from '../../src/core/secret-box';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

export type TokenReply =
  | { status: number; body: string }
  /** A redirect: followed (sent again to `location` with the same headers) unless the caller asked `redirect: 'error'`, as fetch does. */
  | { status: 301 | 302 | 303 | 307 | 308; location: string }
  | 'network-error'
  | 'hang';

export interface TokenRequest {
  at: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export class FakeEnv implements BackgroundEnv {
  time = 1_700_000_000_000;
  private timers: Timer[] = [];
  private nextTimerId = 1;
  private ids = 0;
  /** Every request to the token endpoint. */
  tokenRequests: TokenRequest[] = [];
  /** Scripted replies, used in order; when empty, `defaultReply` answers. */
  replies: TokenReply[] = [];
  tokenLifetimeS = 40;
  private issued = 0;
  /** Requests that were left hanging, to resolve or abort later. */
  hanging: { reject(err: Error): void }[] = [];

  defaultReply = (): TokenReply => ({
    status: 200,
    body: JSON.stringify({
      access_token: `TOKEN${++this.issued}`,
      expires_in: String(this.tokenLifetimeS),
      issued_at: String(this.time),
      token_type: 'Bearer',
    }),
  });

  /** Node's WebCrypto, with a small PBKDF2 count for speed (TESTS ONLY; the extension uses 600,000). */
  crypto: CryptoDeps = {
    subtle: webcrypto.subtle as SubtleCrypto,
    randomBytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)),
  };
  lockIterations = 1000;

  now = (): number => this.time;
  newId = (): string => `p${++this.ids}`;

  setTimer = (callback: () => void, ms: number): unknown => {
    const timer = { id: this.nextTimerId++, at: this.time + ms, callback };
    this.timers.push(timer);
    return timer.id;
  };

  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };

  fetch = async (url: string, init: RequestInit): Promise<Pick<Response, 'status' | 'text'>> => {
    const headers = Object.fromEntries(
      Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    this.tokenRequests.push({
      at: this.time,
      url,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? init.body : '',
    });
    const reply = this.replies.shift() ?? this.defaultReply();
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    if (typeof reply === 'object' && 'location' in reply) {
      if (init.redirect === 'error') throw new TypeError('Failed to fetch'); // what fetch does with redirect: 'error'
      this.tokenRequests.push({
        at: this.time,
        url: reply.location,
        method: init.method ?? 'GET',
        headers,
        body: typeof init.body === 'string' ? init.body : '',
      });
      return {
        status: 200,
        text: async () => JSON.stringify({ access_token: 'STOLEN', expires_in: '299', token_type: 'Bearer' }),
      };
    }
    if (reply === 'hang') {
      return new Promise((_resolve, reject) => {
        this.hanging.push({ reject });
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return { status: reply.status, text: async () => reply.body };
  };

  /** Move the clock forward, firing due timers in time order (and any they schedule). */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      this.timers = this.timers.filter((t) => t !== due);
      due.callback();
    }
    this.time = end;
    await settle();
  }

  /** A stopped worker's timers never fire. */
  dropTimers(): void {
    this.timers = [];
  }

  pendingTimers(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }
}
