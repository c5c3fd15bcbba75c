-- Version 5: the history chart reads every trial of a study in number order, but only its state
-- and value (parameters are read for the few thousand points it keeps). This index covers that
-- read, so a 100,000-trial study is one scan of a small index instead of 100,000 table lookups.
-- Shipped: never edit.

CREATE INDEX trial_study_history ON trial (study_id, number, state, value);
