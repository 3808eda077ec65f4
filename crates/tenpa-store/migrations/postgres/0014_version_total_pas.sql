-- The total PAs a week of each version's assessment, as the assessment gives it (`pas.total`), kept
-- beside the pay totals so that lists of plans read summary columns rather than whole assessments.
-- NULL where a version's assessment has no total.
ALTER TABLE job_plan_versions ADD COLUMN total_pas TEXT;
UPDATE job_plan_versions SET total_pas = assessment::jsonb #>> '{pas,total}';
