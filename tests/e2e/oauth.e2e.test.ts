// OAuth 2 bearer mode end to end in headless Chromium: the shared scenarios (scenarios/oauth.ts).
import { chromiumTarget } from './chromium-driver';
import { oauthScenarios } from './scenarios/oauth';

oauthScenarios(chromiumTarget);
