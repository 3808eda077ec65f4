-- A consultant record's version, for optimistic concurrency when it is edited on its page or
-- through the API: an edit names the version it was made on, and one made on an older version is
-- refused. An import's update moves it on too.
ALTER TABLE consultants ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
