-- API tokens get an id, who issued them, an expiry, revocation and the time of last use. A token
-- that acts as an account other than its issuer's is marked `act_as`; each use of one is audited.
--
-- Tokens issued before this migration expire 90 days after it. Who issued them was not kept, so
-- they are marked `act_as` and every use is audited until they expire or are revoked.
CREATE TABLE api_tokens_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  act_as INTEGER NOT NULL DEFAULT 0,
  revoked_at TEXT,
  revoked_by TEXT,
  last_used_at TEXT
);

INSERT INTO api_tokens_new (token_hash, user_id, name, created_at, created_by, expires_at, act_as)
  SELECT token_hash, user_id, name, created_at, '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days'), 1
  FROM api_tokens ORDER BY created_at;

DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
