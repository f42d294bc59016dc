/**
 * Measures that are not taken yet. They appear in the table as placeholders, never as results.
 * (3. Token continuity is measured now: see token-continuity.mjs.)
 */

/** 7. Monitoring cost: there is no activity monitoring to measure yet. */
export const MONITORING_NOT_APPLICABLE = 'n/a (no activity monitoring yet)';
