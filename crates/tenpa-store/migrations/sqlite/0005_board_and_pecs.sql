-- Board-level directors' competency appraisal (BC-1, BC-2) and PCTs' professional executive
-- committees (PEC-1 … PEC-4).

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('trust', 'icb', 'nhs_england')),
  created_at TEXT NOT NULL
);

CREATE TABLE directors (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  username TEXT,
  position TEXT NOT NULL CHECK (position IN ('chair', 'chief_executive', 'executive', 'non_executive')),
  title TEXT NOT NULL,
  job_domains TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX directors_username ON directors (username);

CREATE TABLE board_appraisals (
  id INTEGER PRIMARY KEY,
  director_id INTEGER NOT NULL REFERENCES directors(id),
  year INTEGER NOT NULL,
  framework_version TEXT NOT NULL,
  ratings TEXT NOT NULL,
  discussion TEXT NOT NULL,
  objectives TEXT NOT NULL,
  director_signed_at TEXT,
  appraiser_signed_at TEXT,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (director_id, year)
);

CREATE TABLE pecs (
  id INTEGER PRIMARY KEY,
  pct TEXT NOT NULL UNIQUE,
  sha TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
