CREATE TABLE rotas (
  id BIGSERIAL PRIMARY KEY,
  department_id BIGINT NOT NULL REFERENCES departments(id),
  name TEXT NOT NULL,
  reason TEXT NOT NULL,
  action_plan TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (department_id, name)
);
CREATE INDEX rotas_department ON rotas (department_id);

CREATE TABLE rota_members (
  rota_id BIGINT NOT NULL REFERENCES rotas(id),
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  PRIMARY KEY (rota_id, consultant_id)
);
CREATE INDEX rota_members_consultant ON rota_members (consultant_id);

CREATE TABLE rota_category_decisions (
  id BIGSERIAL PRIMARY KEY,
  rota_id BIGINT NOT NULL REFERENCES rotas(id),
  category TEXT NOT NULL CHECK (category IN ('a', 'b')),
  effective_from TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX rota_category_decisions_rota ON rota_category_decisions (rota_id);

CREATE TABLE objectives (
  id BIGSERIAL PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  year BIGINT NOT NULL,
  heading TEXT NOT NULL CHECK (heading IN ('activity_and_efficiency', 'clinical_outcomes', 'clinical_standards', 'local_service_objectives', 'management_of_resources')),
  text TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX objectives_consultant ON objectives (consultant_id, year);

CREATE TABLE objective_notes (
  id BIGSERIAL PRIMARY KEY,
  objective_id BIGINT NOT NULL REFERENCES objectives(id),
  note TEXT NOT NULL,
  outside_control BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX objective_notes_objective ON objective_notes (objective_id);

CREATE TABLE private_practice_disclosures (
  id BIGSERIAL PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  disclosed_on TEXT NOT NULL,
  commitments TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX private_practice_disclosures_consultant ON private_practice_disclosures (consultant_id);
