/**
 * How long before a token expires the extension stops attaching it, so a request in flight never
 * arrives late. In a module of its own so the popup's countdown can use it without loading the
 * token lifecycle code.
 */
export const EXPIRY_GUARD_MS = 2_000;
