-- Feed statistics (the STATS database): what readers fetched, per feed and day, and nothing
-- that identifies a reader. Every isolate writes its counters here in batches, with upserts
-- whose result does not depend on the order they arrive in.

-- Polls per day, feed and reader: a reader's name from src/stats/readers.ts, never a
-- User-Agent. `kind`: web (a service for many people), app (one person's reader), bot, other.
CREATE TABLE stats_polls (
  day TEXT NOT NULL,                 -- YYYY-MM-DD, UTC
  feed TEXT NOT NULL,                -- the feed's path: '' for the site, 'tags/china', …
  reader TEXT NOT NULL,
  kind TEXT NOT NULL,
  polls INTEGER NOT NULL,
  not_modified INTEGER NOT NULL,     -- answered 304
  bytes INTEGER NOT NULL,            -- bodies sent
  PRIMARY KEY (day, feed, reader)
) STRICT, WITHOUT ROWID;

-- Subscriber counts readers report in their User-Agent: the latest of the day per reader and
-- the feed id it gives (one service may poll one feed under several ids).
CREATE TABLE stats_reports (
  day TEXT NOT NULL,
  feed TEXT NOT NULL,
  reader TEXT NOT NULL,
  feed_id TEXT NOT NULL,
  subscribers INTEGER NOT NULL,
  at INTEGER NOT NULL,               -- ms: the later report wins
  PRIMARY KEY (day, feed, reader, feed_id)
) STRICT, WITHOUT ROWID;

-- HyperLogLog registers of the day's distinct clients per feed: `people` (readers that report
-- no count) and `bots` apart. `weight` is 2^-rank, kept so a day's estimate is one SUM.
CREATE TABLE stats_registers (
  day TEXT NOT NULL,
  feed TEXT NOT NULL,
  crowd TEXT NOT NULL,
  register INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (day, feed, crowd, register)
) STRICT, WITHOUT ROWID;

-- Poll intervals seen per day and reader (each client's, feed by feed), counted in buckets
-- (their lower bound, s).
CREATE TABLE stats_intervals (
  day TEXT NOT NULL,
  reader TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, reader, bucket)
) STRICT, WITHOUT ROWID;

-- A finished day per feed, summed up from the tables above (its registers then deleted):
-- subscribers = reported + people; bots apart.
CREATE TABLE stats_days (
  day TEXT NOT NULL,
  feed TEXT NOT NULL,
  reported INTEGER NOT NULL,
  people INTEGER NOT NULL,
  bots INTEGER NOT NULL,
  PRIMARY KEY (day, feed)
) STRICT, WITHOUT ROWID;

-- Past 400 days, months: polls summed; subscribers and bots summed over the days kept, so
-- that their average (÷ days) holds however many days were folded in at a time.
CREATE TABLE stats_months (
  month TEXT NOT NULL,               -- YYYY-MM
  feed TEXT NOT NULL,
  polls INTEGER NOT NULL,
  not_modified INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  subscriber_days INTEGER NOT NULL,
  bot_days INTEGER NOT NULL,
  days INTEGER NOT NULL,
  PRIMARY KEY (month, feed)
) STRICT, WITHOUT ROWID;
