-- Looks at each data set's valid split: the family the valid gate adjusts its evidence for. Every factor stored with
-- valid statistics was looked at there (earlier versions screened every trial on valid), so existing ones count.
CREATE TABLE IF NOT EXISTS dataset_looks (
    dataset_key VARCHAR(64) PRIMARY KEY,
    valid_looks BIGINT NOT NULL
);
MERGE INTO dataset_looks (dataset_key, valid_looks) KEY (dataset_key)
    SELECT dataset_key, COUNT(*) FROM factors WHERE dataset_key IS NOT NULL AND valid_stats IS NOT NULL
    GROUP BY dataset_key;
