-- When the last failure of an inbox's streak happened (ms), so that the dashboard can tell an
-- inbox that failed a minute ago from one nobody has written to for days; null for a row kept
-- from before this column.
ALTER TABLE inbox_failures ADD COLUMN last_failed_at INTEGER;
