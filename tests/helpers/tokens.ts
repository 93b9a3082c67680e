/**
 * The tokens the tests' Workers run with (vitest.config.ts binds them): long enough to be
 * accepted (MIN_TOKEN_LENGTH), and different from each other, as in production.
 */
export const API_TOKEN = 'test-publish-token-0123456789abcdef'
/** The read-only statistics token of the tests. */
export const STATS_TOKEN = 'test-stats-token-0123456789abcdefgh'
