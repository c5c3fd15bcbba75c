-- Version 3: when the time budget (spec limits.maxMinutes) of the study's current queue run ends,
-- in epoch milliseconds on the database server's clock (now()), so workers on machines with
-- skewed clocks agree. Set by the queue owner when its run starts (resume: a fresh budget); NULL
-- without a budget. Workers claim no queued trial of a study whose budget has ended. SQLite needs
-- no column: there one process runs the study and keeps its deadline in memory. Shipped: never edit.

ALTER TABLE study ADD COLUMN budget_ends_at BIGINT;
