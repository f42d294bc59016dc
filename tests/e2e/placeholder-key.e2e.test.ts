// A placeholder `key` in a page's URLs never competes with the credential, in Chromium (shared scenarios: scenarios/placeholder-key.ts).
import { chromiumTarget } from './chromium-driver';
import { placeholderKeyScenarios } from './scenarios/placeholder-key';

placeholderKeyScenarios(chromiumTarget);
