// What webRequest reports after the extension's rules, in headless Chromium (scenarios/webrequest-probe.ts).
import { chromiumTarget } from './chromium-driver';
import { webRequestProbe } from './scenarios/webrequest-probe';

webRequestProbe(chromiumTarget);
