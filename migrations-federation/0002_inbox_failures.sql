-- Inboxes that are failing: since when every delivery to them has failed (no success since).
-- A success removes the row; a failure FAILING_FOR_MS (7 days) after `since` prunes every
-- follow delivered through the inbox (src/federation/delivery.ts).
CREATE TABLE inbox_failures (
  inbox TEXT PRIMARY KEY,
  since INTEGER NOT NULL,              -- ms, the first failure of the current streak
  last_status INTEGER                  -- HTTP status of the last failure; null for a network error
) STRICT;
