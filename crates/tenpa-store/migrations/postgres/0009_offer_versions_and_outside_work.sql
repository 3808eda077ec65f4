-- PP-5 (F 6(c)): an extra-PA offer is answered and ended after it is recorded, so each change names
-- the version it edits (optimistic concurrency); every change is in the audit log.
ALTER TABLE extra_pa_offers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE extra_pa_offers ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
-- PP-4 (F 6(c)-(e)): the remunerated clinical work outside the NHS contract done in the year under
-- review (JSON: false, true, or a list of categories), and the categories of it the employer
-- exempts (JSON list).
ALTER TABLE reviews ADD COLUMN outside_remunerated_work TEXT NOT NULL DEFAULT 'false';
ALTER TABLE reviews ADD COLUMN exempted_outside_work TEXT NOT NULL DEFAULT '[]';
