// A placeholder `key` in a page's URLs never competes with the credential, in Firefox ESR (shared scenarios: scenarios/placeholder-key.ts).
import { firefoxTarget } from './firefox-harness';
import { placeholderKeyScenarios } from './scenarios/placeholder-key';

placeholderKeyScenarios(firefoxTarget);
