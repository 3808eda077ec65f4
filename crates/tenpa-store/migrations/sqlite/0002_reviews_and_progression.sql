CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  kind TEXT NOT NULL CHECK (kind IN ('annual', 'interim')),
  year_ending TEXT NOT NULL,
  met_time_and_service INTEGER NOT NULL,
  met_objectives_or_reasonable_effort INTEGER NOT NULL,
  took_part_in_appraisal_and_job_planning INTEGER NOT NULL,
  worked_towards_service_changes INTEGER NOT NULL,
  notes TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX reviews_consultant ON reviews (consultant_id);

CREATE TABLE progression_cases (
  id INTEGER PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  review_id INTEGER NOT NULL REFERENCES reviews(id),
  status TEXT NOT NULL,
  outcome TEXT,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX progression_cases_consultant ON progression_cases (consultant_id);

CREATE TABLE progression_steps (
  case_id INTEGER NOT NULL REFERENCES progression_cases(id),
  version INTEGER NOT NULL,
  step TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (case_id, version)
);
