-- Federation (the FEDERATION database): each feed is an ActivityPub actor. Its keys, who
-- follows it, which articles have been federated, and what is still to be delivered.

-- One RSA key pair per actor (handle), generated once and never rotated silently: remote
-- servers cache the public key by its id.
CREATE TABLE actor_keys (
  handle TEXT PRIMARY KEY,
  public_key_pem TEXT NOT NULL,
  private_key_jwk TEXT NOT NULL,       -- a JWK (RFC 7517): only this Worker reads it
  created_at INTEGER NOT NULL          -- ms
) STRICT;

-- Followers per actor: the remote actor, its inbox and its server's shared inbox, where
-- deliveries go (one per shared inbox, whichever of its people follow).
CREATE TABLE followers (
  handle TEXT NOT NULL,
  origin TEXT NOT NULL,                -- our origin the follow named: ids sent to it use it
  actor TEXT NOT NULL,                 -- the follower's actor id
  inbox TEXT NOT NULL,
  shared_inbox TEXT,
  server TEXT NOT NULL,                -- host of the actor id, for counts and blocks
  follow_id TEXT NOT NULL,             -- the Follow activity's id (what Undo names)
  created_at INTEGER NOT NULL,
  PRIMARY KEY (handle, actor)
) STRICT, WITHOUT ROWID;
CREATE INDEX followers_server ON followers (server);

-- Articles that were federated, by their immutable id: the object endpoint resolves its key
-- here, and a deleted article answers 410 with a Tombstone.
CREATE TABLE objects (
  article_id TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  deleted_at INTEGER                   -- ms, when a Delete was sent
) STRICT;

-- One row per activity and inbox: a queue message is sent at most once to an inbox (the row
-- is claimed before the POST), and retried with backoff until it succeeds or gives up.
CREATE TABLE deliveries (
  activity_id TEXT NOT NULL,
  inbox TEXT NOT NULL,
  status TEXT NOT NULL,                -- pending | done | failed
  attempts INTEGER NOT NULL,
  last_status INTEGER,                 -- HTTP status of the last attempt
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (activity_id, inbox)
) STRICT, WITHOUT ROWID;
