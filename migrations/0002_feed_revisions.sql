-- Fragments get a row each: a long article (a live blog of 1.9 MB) renders to several items of
-- its size, and D1 holds at most 2 MB in one row. The article row keeps the model and its ETag.
CREATE TABLE fragments (
  id TEXT NOT NULL,                 -- the article
  key TEXT NOT NULL,                -- rss, atom, json, or an aggregator's (rss@google-news, violations@msn)
  body TEXT NOT NULL,
  PRIMARY KEY (id, key)
) STRICT;

INSERT INTO fragments (id, key, body) SELECT id, 'rss', rss FROM articles;
INSERT INTO fragments (id, key, body) SELECT id, 'atom', atom FROM articles;
INSERT INTO fragments (id, key, body) SELECT id, 'json', json FROM articles;
INSERT INTO fragments (id, key, body) SELECT a.id, e.key, e.value FROM articles a, json_each(a.extra) e;

ALTER TABLE articles DROP COLUMN rss;
ALTER TABLE articles DROP COLUMN atom;
ALTER TABLE articles DROP COLUMN json;
ALTER TABLE articles DROP COLUMN extra;

-- Per-feed change identity: each feed's revision changes with every write that changes what
-- it shows (an article joins, leaves or is edited while visible), and with nothing else.
ALTER TABLE feed_stats ADD COLUMN revision TEXT NOT NULL DEFAULT '';

-- Articles written with a `published` still ahead: invisible until then. A row is claimed (and
-- deleted) once by the minute's Cron Trigger, which pings the WebSub hub for its feeds; rows
-- whose time has passed are simply waiting for that run.
CREATE TABLE scheduled (
  id TEXT PRIMARY KEY,
  published TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX scheduled_by_time ON scheduled (published);

-- Scratch space of one write: whether the article it replaces or deletes was visible. Filled
-- and emptied inside one batch (one transaction), like `touched`.
CREATE TABLE replaced (
  visible INTEGER NOT NULL
) STRICT;

-- The meta row `version` now only says that something was written (isolates reload the tags);
-- ETags come from the feeds' revisions.
