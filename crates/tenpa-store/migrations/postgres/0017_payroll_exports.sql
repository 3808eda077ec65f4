-- Payroll exports, one a month, kept as they were exported (the CSV and the XLSX bytes, so the
-- same export asked for again is the same file), with their lines: what was paid for each
-- consultant, element and month, against which later arrears are worked out.
CREATE TABLE payroll_exports (
  id BIGSERIAL PRIMARY KEY,
  period TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  csv TEXT NOT NULL,
  xlsx BYTEA NOT NULL,
  line_count BIGINT NOT NULL,
  total_pence BIGINT NOT NULL
);

CREATE TABLE payroll_lines (
  export_id BIGINT NOT NULL REFERENCES payroll_exports(id),
  consultant_id TEXT NOT NULL,
  element TEXT NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_pence BIGINT NOT NULL
);
CREATE INDEX payroll_lines_consultant_month ON payroll_lines (consultant_id, month);
