-- Version 2: reserved for another branch's migration, which replaces this file at merge. Does
-- nothing; it exists so version 4 follows without a gap (the runner refuses one).
SELECT 1;
