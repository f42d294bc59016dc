// What webRequest reports after the extension's rules, in headless Firefox ESR (scenarios/webrequest-probe.ts).
import { firefoxTarget } from './firefox-harness';
import { webRequestProbe } from './scenarios/webrequest-probe';

webRequestProbe(firefoxTarget);
