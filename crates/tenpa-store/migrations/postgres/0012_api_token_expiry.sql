-- API tokens get an id, who issued them, an expiry, revocation and the time of last use. A token
-- that acts as an account other than its issuer's is marked `act_as`; each use of one is audited.
--
-- Tokens issued before this migration expire 90 days after it. Who issued them was not kept, so
-- they are marked `act_as` and every use is audited until they expire or are revoked.
ALTER TABLE api_tokens ADD COLUMN id BIGSERIAL UNIQUE;
ALTER TABLE api_tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN act_as BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_by TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;

UPDATE api_tokens SET
  expires_at = to_char((now() AT TIME ZONE 'UTC') + interval '90 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  act_as = TRUE;

ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ALTER COLUMN created_by DROP DEFAULT;
