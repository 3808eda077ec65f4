CREATE TABLE awards (
  id BIGSERIAL PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  kind TEXT NOT NULL CHECK (kind IN ('cea', 'recruitment', 'retention')),
  level BIGINT,
  amount_pence BIGINT,
  start_date TEXT NOT NULL,
  end_date TEXT,
  body TEXT NOT NULL,
  evidence TEXT NOT NULL,
  notes TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (
    (kind = 'cea' AND level BETWEEN 1 AND 13 AND amount_pence IS NULL)
    OR (kind <> 'cea' AND level IS NULL AND amount_pence IS NOT NULL AND amount_pence > 0)
  ),
  CHECK (end_date IS NULL OR end_date > start_date)
);
CREATE INDEX awards_consultant ON awards (consultant_id, start_date);
