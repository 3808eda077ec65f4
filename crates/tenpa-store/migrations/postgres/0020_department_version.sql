-- A department's version, for optimistic concurrency when its name or specialty is changed on its
-- page or through the API.
ALTER TABLE departments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
