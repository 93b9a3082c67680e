-- Figures no client can forge, and sessions the server can end.

-- Who sent a report: 64 bits of the day's keyed hash of its address and reader (hex), so that
-- one client counts once per feed however many feed ids it makes up. Deleted with the day's
-- reports when the day closes.
ALTER TABLE stats_reports ADD COLUMN client TEXT NOT NULL DEFAULT '';

-- Per day, feed and reader: reports set aside as implausible (above the reader's cap, see
-- src/stats/caps.ts), and reports under a new feed id once the day's rows were full.
ALTER TABLE stats_polls ADD COLUMN outliers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_polls ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;

-- Dashboard sessions: the SHA-256 of the cookie's random id (the id itself is never stored),
-- a digest of the statistics token it was opened with (a new token ends every session), and
-- when it ends. Signing out deletes the row; the Cron Trigger deletes expired ones.
CREATE TABLE stats_sessions (
  id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  expires INTEGER NOT NULL           -- ms
) STRICT, WITHOUT ROWID;
