-- Looks at each data set's valid split: the family the valid gate adjusts its evidence for. Every factor stored with
-- valid statistics was looked at there (earlier versions screened every trial on valid), so existing ones count.
ALTER TABLE dataset_trials ADD COLUMN IF NOT EXISTS valid_looks BIGINT NOT NULL DEFAULT 0;
UPDATE dataset_trials d SET valid_looks = (SELECT COUNT(*) FROM factors f
    WHERE f.dataset_key = d.dataset_key AND f.valid_stats IS NOT NULL)
    WHERE d.valid_looks = 0;
