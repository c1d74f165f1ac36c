-- Keys a data set was filed under before a rename (KnowledgeBase.renameDataset): an import of an older export
-- translates through them, so that it merges with what is here instead of filing a second copy.
CREATE TABLE IF NOT EXISTS dataset_aliases (
    from_key VARCHAR(64) PRIMARY KEY,
    to_key   VARCHAR(64) NOT NULL
);
