-- Version 2: the GPU adapter a trial trained on (webgpu), as JSON: vendor, architecture,
-- description (the driver), device, isSoftware. NULL off the GPU and for older trials. As
-- migrations/0006-trial-adapter.sql for SQLite. Shipped: never edit.

ALTER TABLE trial ADD COLUMN adapter TEXT CHECK (adapter IS NULL OR adapter::jsonb IS NOT NULL);
