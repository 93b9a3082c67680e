-- Articles published through the API (or imported from content/), with their item fragments.
CREATE TABLE articles (
  id TEXT PRIMARY KEY,              -- urn:uuid:…, assigned once
  slug TEXT NOT NULL UNIQUE,
  published TEXT NOT NULL,          -- RFC 3339 UTC, ISO 8601 text sorts as time
  updated TEXT NOT NULL,
  etag TEXT NOT NULL,               -- changes with every write; If-Match compares against it
  article TEXT NOT NULL,            -- the Article as JSON (pages and the API read it)
  rss TEXT NOT NULL,                -- the item, rendered once per format
  atom TEXT NOT NULL,
  json TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'  -- other fragments by key: aggregator profiles' items and exclusions
) STRICT;

-- One row per feed an article belongs to: ('site', ''), ('category', slug), ('author', slug),
-- ('tag', slug). "Newest N of a feed" is a backward range scan of this primary key.
CREATE TABLE memberships (
  kind TEXT NOT NULL,
  slug TEXT NOT NULL,
  published TEXT NOT NULL,
  id TEXT NOT NULL,
  updated TEXT NOT NULL,
  PRIMARY KEY (kind, slug, published, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX memberships_by_article ON memberships (id);

-- A feed's newest update is the last entry of this index: MAX() without a scan.
CREATE INDEX memberships_by_update ON memberships (kind, slug, updated);

-- Curated feeds merge several membership lists and read articles in this order.
CREATE INDEX articles_newest ON articles (published, id);

-- Per-feed article count and newest update, kept current by every write without counting.
CREATE TABLE feed_stats (
  kind TEXT NOT NULL,
  slug TEXT NOT NULL,
  count INTEGER NOT NULL,
  updated TEXT NOT NULL,
  PRIMARY KEY (kind, slug)
) STRICT, WITHOUT ROWID;

-- Scratch space of one write: the feeds it touches. Filled and emptied inside one batch (one
-- transaction), so concurrent writes never see each other's rows.
CREATE TABLE touched (
  kind TEXT NOT NULL,
  slug TEXT NOT NULL,
  PRIMARY KEY (kind, slug)
) STRICT, WITHOUT ROWID;

-- Tags known from articles, for tag feeds and pages.
CREATE TABLE tags (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The content version: any write changes it, and with it every ETag and cache key.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('version', 'empty');
