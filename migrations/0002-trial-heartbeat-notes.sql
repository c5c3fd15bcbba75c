-- Version 2: heartbeats and retries for stale-trial recovery, notes and tags on studies and
-- trials. Shipped: never edit. ADD COLUMN keeps every existing row (defaults fill the new columns).

ALTER TABLE study ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE study ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags));

ALTER TABLE trial ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE trial ADD COLUMN retries INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0);
ALTER TABLE trial ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE trial ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags));
