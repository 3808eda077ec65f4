-- A department's job plan templates: a named set of activities, on-call and plan settings that a
-- new plan starts from. Versioned for optimistic concurrency; a retired template stays for its
-- history but is no longer offered.
CREATE TABLE plan_templates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  body TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  retired_at TEXT
);
CREATE UNIQUE INDEX plan_templates_name ON plan_templates (department_id, name) WHERE retired_at IS NULL;
