-- What the bundled store's followers have been told of, by slug: a deploy adds articles
-- without a write through the API, so the Cron Trigger compares the bundle with this table
-- once per build (src/federation/deploys.ts). `state` keeps the last build compared.
CREATE TABLE announced (
  slug TEXT PRIMARY KEY,
  updated TEXT NOT NULL                -- RFC 3339: the version followers were sent
) STRICT, WITHOUT ROWID;

CREATE TABLE state (
  key TEXT PRIMARY KEY,                -- 'build': the bundle last compared with `announced`
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
