// Intentionally empty. The worker exists only so the bench has an extension context in which to
// call chrome.declarativeNetRequest.updateEnabledRulesets (through Playwright's worker.evaluate).
