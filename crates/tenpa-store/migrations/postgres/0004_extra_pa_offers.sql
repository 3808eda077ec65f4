CREATE TABLE extra_pa_offers (
  id BIGSERIAL PRIMARY KEY,
  consultant_id TEXT NOT NULL REFERENCES consultants(id),
  offered_on TEXT NOT NULL,
  offer TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX extra_pa_offers_consultant ON extra_pa_offers (consultant_id);
