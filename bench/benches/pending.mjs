/**
 * Measures that are not taken yet. They appear in the table as placeholders, never as results.
 */

/**
 * 3. Token continuity: PLACEHOLDER, added with OAuth by another engineer. Fill in a
 * `benchTokenContinuity(session, options)` here and report it from run.mjs (see the row
 * 'token continuity: added with OAuth' in report.mjs). Until then there is no figure.
 */
export const TOKEN_CONTINUITY_PLACEHOLDER = 'token continuity: added with OAuth';

/** 7. Monitoring cost: there is no activity monitoring to measure yet. */
export const MONITORING_NOT_APPLICABLE = 'n/a (no activity monitoring yet)';
