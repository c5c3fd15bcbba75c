-- Version 3: why a trial did not run on a faster backend (e.g. "tfjs-node-gpu: not installed"),
-- recorded beside the backend it did run on. Shipped: never edit.

ALTER TABLE trial ADD COLUMN backend_note TEXT;
