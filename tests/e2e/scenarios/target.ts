/** Which browser a shared scenario runs in, and how to start it. */
import { startOsApiMock, type OsApiMock, type StartOsApiMockOptions } from '../../mock/os-api-mock';
import type { BrowserName, ExtensionDriver } from '../driver';

export type MockOptions = Omit<StartOsApiMockOptions, 'port'>;

export interface E2ETarget<D extends ExtensionDriver = ExtensionDriver> {
  name: BrowserName;
  /** Start the OS API mock where this browser will reach it. */
  startMock(options: MockOptions): Promise<OsApiMock>;
  /** Launch the browser with the built extension, api.os.uk (and the other test hosts) reaching `mock`. */
  launch(mock: OsApiMock): Promise<D>;
}

/**
 * Start the mock on a fixed port, waiting while another run holds it (two Firefox suites on one
 * machine, for example a developer's and CI's, both need 443).
 */
export async function startMockOnFixedPort(port: number, options: MockOptions, waitMs = 120_000): Promise<OsApiMock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await startOsApiMock({ ...options, port });
    } catch (err) {
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!inUse || Date.now() > deadline) {
        throw inUse
          ? new Error(`port ${port} stayed in use for ${waitMs / 1000} s (another Firefox end-to-end run?)`, {
              cause: err,
            })
          : err;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
