-- JP-3 (A 7.1-7.3, A 7.5-7.7): objectives are "appropriate, identified and agreed". Each edit of an
-- objective's heading or text is a new version, kept; each version records who agreed it for the
-- consultant and for the manager (the clinical director of the department or the medical
-- director), and when. `objectives` keeps the current version's number, heading and text, and its
-- state: `proposed` until both sides have agreed the current version, then `agreed`.
--
-- Existing objectives become version 1, `proposed`: nothing recorded who agreed them, so both
-- sides are asked to agree them (docs/readings.md).
ALTER TABLE objectives ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE objectives ADD COLUMN state TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'agreed'));

CREATE TABLE objective_versions (
  objective_id BIGINT NOT NULL REFERENCES objectives(id),
  version BIGINT NOT NULL,
  heading TEXT NOT NULL CHECK (heading IN ('activity_and_efficiency', 'clinical_outcomes', 'clinical_standards', 'local_service_objectives', 'management_of_resources')),
  text TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  agreed_by_consultant TEXT,
  agreed_by_consultant_at TEXT,
  agreed_by_manager TEXT,
  agreed_by_manager_at TEXT,
  PRIMARY KEY (objective_id, version)
);

INSERT INTO objective_versions (objective_id, version, heading, text, created_by, created_at)
  SELECT id, 1, heading, text, created_by, created_at FROM objectives;
