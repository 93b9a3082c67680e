-- Which signature scheme each server's own requests were verified with, last time: deliveries
-- to that server are signed in kind (RFC 9421 to a server that signs with it, draft-cavage to
-- the rest), since a server that signs with a scheme verifies it too (src/federation/schemes.ts).
CREATE TABLE signature_schemes (
  server TEXT PRIMARY KEY,             -- host of the signing actor's id
  scheme TEXT NOT NULL,                -- rfc9421 | cavage
  seen_at INTEGER NOT NULL             -- ms
) STRICT;
