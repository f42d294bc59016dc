/** The Chromium harness (extension-harness.ts) behind the driver-neutral ExtensionDriver (driver.ts). */
import { startOsApiMock } from '../mock/os-api-mock';
import type { ExtensionDriver } from './driver';
import type { E2ETarget } from './scenarios/target';
import { launchWithExtension, savePopupScreenshot, type ExtensionSession } from './extension-harness';
import { playwrightUi } from './playwright-ui';

export interface ChromiumDriver extends ExtensionDriver {
  /** The Playwright session, for what only Chromium can do (stopping the service worker). */
  session: ExtensionSession;
}

export async function launchChromiumDriver(options: { mockPort: number }): Promise<ChromiumDriver> {
  const session = await launchWithExtension(options);
  return {
    browserName: 'chromium',
    session,
    openPopup: async () => playwrightUi(await session.openPopup(), savePopupScreenshot),
    newPage: async () => playwrightUi(await session.context.newPage(), savePopupScreenshot),
    inExtension: async <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) =>
      (await session.worker()).evaluate<R>(fn as never, arg as never),
    rules: () => session.rules(),
    waitForRules: (predicate, what, timeoutMs) => session.waitForRules(predicate, what, timeoutMs),
    close: () => session.close(),
  };
}

/** Chromium as a target for the shared scenarios (tests/e2e/scenarios). */
export const chromiumTarget: E2ETarget<ChromiumDriver> = {
  name: 'chromium',
  startMock: (options) => startOsApiMock(options),
  launch: (mock) => launchChromiumDriver({ mockPort: mock.port }),
};
