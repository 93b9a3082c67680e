-- What a deploy needs to tell followers that an article went or moved (src/federation/deploys.ts):
-- its immutable id, so that a new slug for the same id is an Update, not a Delete and a Create;
-- the actors whose followers were told of it (space-separated handles), where its Delete goes;
-- and the bundle's revision of its record, so that a change of feeds without a new `updated`
-- is noticed without reading every article. Null where a row predates them: filled by the
-- next deploy (id and revision) or when followers are next told (handles).
ALTER TABLE announced ADD COLUMN article_id TEXT;
ALTER TABLE announced ADD COLUMN handles TEXT;
ALTER TABLE announced ADD COLUMN revision TEXT;
CREATE INDEX announced_article ON announced (article_id);
