-- Monthly snapshots of the job-plan sign-off measure: the figures and the list behind them as they
-- were on the day, kept unchanged. Each snapshot's hash covers its body and the previous snapshot's
-- hash, so a changed or removed snapshot breaks the chain from there on.
CREATE TABLE compliance_snapshots (
  id BIGSERIAL PRIMARY KEY,
  month TEXT NOT NULL UNIQUE,
  taken_on TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  taken_by TEXT NOT NULL,
  body TEXT NOT NULL,
  previous_sha256 TEXT NOT NULL,
  sha256 TEXT NOT NULL
);
