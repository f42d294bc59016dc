/** Node's WebCrypto as core's CryptoDeps, for tests (not shipped: only imported from *.test.ts). */
import type { CryptoDeps } from './secret-box';

// eslint-disable-next-line no-restricted-globals -- tests pass Node's WebCrypto in, as the background passes the browser's
const webcrypto = globalThis.crypto;

export const nodeCrypto: CryptoDeps = {
  subtle: webcrypto.subtle,
  randomBytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)),
};

/** Few iterations, for speed: every test but the one at the real count derives with this. */
export const FAST_ITERATIONS = 1_000;
