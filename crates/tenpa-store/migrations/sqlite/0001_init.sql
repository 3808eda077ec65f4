CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE employers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('trust', 'health_board', 'pct')),
  nation TEXT NOT NULL
);

CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  name TEXT NOT NULL,
  specialty TEXT NOT NULL,
  UNIQUE (employer_id, name)
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  department_id INTEGER REFERENCES departments(id),
  consultant_id TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE consultants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  first_appointed TEXT NOT NULL,
  transferred TEXT,
  seniority_at_transfer INTEGER,
  lead_employer_id INTEGER REFERENCES employers(id)
);

CREATE TABLE job_plans (
  id INTEGER PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  department_id INTEGER NOT NULL REFERENCES departments(id),
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX job_plans_consultant ON job_plans (consultant_id);
CREATE INDEX job_plans_department ON job_plans (department_id);

CREATE TABLE job_plan_versions (
  job_plan_id INTEGER NOT NULL REFERENCES job_plans(id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  action TEXT NOT NULL,
  note TEXT NOT NULL,
  document TEXT NOT NULL,
  assessment TEXT NOT NULL,
  total_pay_pence INTEGER NOT NULL,
  superannuable_pence INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (job_plan_id, version)
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_state TEXT,
  after_state TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
