-- Job-planning rounds: a year's round opened by the medical director or medical staffing, with a
-- deadline for each department in it and the consultants in scope as they were when it opened.
CREATE TABLE rounds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  opened_on TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL
);

CREATE TABLE round_departments (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  department_id INTEGER NOT NULL REFERENCES departments(id),
  deadline TEXT NOT NULL,
  PRIMARY KEY (round_id, department_id)
);

CREATE TABLE round_consultants (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  department_id INTEGER NOT NULL REFERENCES departments(id),
  PRIMARY KEY (round_id, consultant_id)
);
