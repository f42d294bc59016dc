/**
 * Runs "Check access" (issue 5): one probe per OS API with the given credential, at most three at
 * a time, each with its own time limit, and the answers interpreted by core/check-access.
 *
 * The extension's own requests never match the credential rules (rules-from-state excludes the
 * extension as initiator), so each probe carries exactly the credential set here, whatever project
 * is active. Bodies are read only far enough to find an error code: at most 64 KiB, and never
 * kept beyond interpretation.
 */
import {
  ACCESS_PROBES,
  credentialSent,
  discoveryFailed,
  interpretProbe,
  probeRequest,
  type AccessProbe,
  type ProbeCredential,
} from '../core/check-access';
import { secretOf } from '../core/credential';
import type { AccessCheckResult, AccessReport } from '../core/monitoring';

export const PROBE_TIMEOUT_MS = 10_000;
/** Same cap as explainFailure's parser: error bodies are small, and success bodies are not needed. */
export const MAX_PROBE_BODY_BYTES = 64 * 1024;
/** Enough to finish quickly; few enough not to look like a burst to the gateway. */
const CONCURRENCY = 3;

/** The part of a fetch Response used here; a real Response fits, and so does a scripted fake. */
export interface ProbeResponse {
  status: number;
  body?: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

/** Injected like TokenEnv (token-manager.ts), so tests script the network and the clock. */
export interface AccessCheckDeps {
  fetch(url: string, init: RequestInit): Promise<ProbeResponse>;
  now(): number;
  /** Per probe, covering the headers and the body; default {@link PROBE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /**
   * Called with each keyed probe's URL (without the credential) just before it is sent, so the
   * activity log can book it to the project; some URLs are only known after discovery.
   */
  beforeProbe?(url: string): void;
}

/** Up to `max` bytes of the body as text; stops reading (and cancels the stream) past the cap. */
async function readCapped(response: ProbeResponse, max: number): Promise<string> {
  const stream = response.body;
  if (!stream) return (await response.text()).slice(0, max);
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let left = max;
  try {
    while (left > 0) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value.byteLength > left ? value.subarray(0, left) : value;
      left -= chunk.byteLength;
      text += decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  } finally {
    // Releases the connection when we stopped early; harmless after `done`.
    void reader.cancel().catch(() => undefined);
  }
}

/**
 * One GET with a time limit. Status 0 when there was no answer in time, or none at all; if the
 * status line did arrive and only the body stalled or broke, OS did answer, so its status is kept.
 */
async function timedGet(
  deps: AccessCheckDeps,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const controller = new AbortController();
  // Racing the abort as well as signalling it: the limit holds even if a fetch ignores the signal.
  const timedOut = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('probe timed out')));
  });
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs ?? PROBE_TIMEOUT_MS);
  let status = 0;
  let body = '';
  try {
    const attempt = (async () => {
      const response = await deps.fetch(url, {
        method: 'GET',
        headers,
        cache: 'no-store',
        credentials: 'omit',
        // Never follow a redirect: the probe's key or token would go with it (status 0: could not check).
        redirect: 'error',
        signal: controller.signal,
      });
      status = response.status;
      body = await readCapped(response, MAX_PROBE_BODY_BYTES);
    })();
    // After a timeout the abandoned attempt still rejects (AbortError); nobody waits for it then.
    attempt.catch(() => undefined);
    await Promise.race([attempt, timedOut]);
  } catch {
    body = '';
  } finally {
    clearTimeout(timer);
  }
  return { status, body };
}

async function runProbe(
  deps: AccessCheckDeps,
  probe: AccessProbe,
  credential: ProbeCredential,
): Promise<AccessCheckResult> {
  let target = probe;
  if (probe.discover) {
    // A public document, fetched with no credential at all (it costs no transaction).
    const found = await timedGet(deps, probe.discover.url, {});
    const url = found.status >= 200 && found.status < 300 ? probe.discover.build(found.body) : null;
    if (!url) return discoveryFailed(probe.api, found.status, probe.discover.url);
    target = { api: probe.api, url };
  }
  deps.beforeProbe?.(target.url);
  const { url, headers } = probeRequest(target, credential);
  const { status, body } = await timedGet(deps, url, headers);
  return interpretProbe(probe.api, status, body, credentialSent(credential), secretOf(credential));
}

/** Probe every current OS API for a project; results come back in ACCESS_PROBES order whatever finished first. */
export async function runAccessCheck(
  deps: AccessCheckDeps,
  projectId: string,
  credential: ProbeCredential,
): Promise<AccessReport> {
  const checkedAt = deps.now();
  const results: AccessCheckResult[] = new Array<AccessCheckResult>(ACCESS_PROBES.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ACCESS_PROBES.length) {
      const i = next++;
      const probe = ACCESS_PROBES[i];
      if (probe) results[i] = await runProbe(deps, probe, credential);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ACCESS_PROBES.length) }, worker));
  return { projectId, checkedAt, results };
}
