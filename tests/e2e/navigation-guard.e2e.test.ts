// Which navigations to api.os.uk carry the key, in Chromium (shared scenarios: scenarios/navigation-guard.ts).
import { chromiumTarget } from './chromium-driver';
import { navigationGuardScenarios } from './scenarios/navigation-guard';

navigationGuardScenarios(chromiumTarget);
