-- Which model made each vector (vectors of different models are never compared), and lineage lookups.
ALTER TABLE factors ADD COLUMN IF NOT EXISTS embedder VARCHAR(64);
CREATE INDEX IF NOT EXISTS factors_parent ON factors(parent_id);
CREATE INDEX IF NOT EXISTS factors_dataset ON factors(dataset_key, status);
