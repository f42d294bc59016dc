// Which navigations to api.os.uk carry the key, in Firefox ESR (shared scenarios: scenarios/navigation-guard.ts).
import { firefoxTarget } from './firefox-harness';
import { navigationGuardScenarios } from './scenarios/navigation-guard';

navigationGuardScenarios(firefoxTarget);
