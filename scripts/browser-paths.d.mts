/** The browser executables (scripts/browser-paths.mjs). Each throws with an install hint when missing. */
export function chromiumPath(): string;
export function firefoxPath(): string;
