-- An account can be disabled: it can no longer sign in (password, OpenID Connect or API token)
-- until it is enabled again. The time it was disabled; NULL while enabled.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
