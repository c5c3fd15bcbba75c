-- Version 6: the GPU adapter a trial trained on (webgpu), as JSON: vendor, architecture,
-- description (the driver), device, isSoftware. NULL off the GPU and for trials of older builds,
-- whose adapter, if any, stays at the start of backend_note. Shipped: never edit.

ALTER TABLE trial ADD COLUMN adapter TEXT CHECK (adapter IS NULL OR json_valid(adapter));
