-- Failed sign-ins counted per key (an account, an account from one address, one address), one row
-- per key: a burst of attempts updates one row in one statement, so no attempt is missed, and rows
-- whose window has passed are deleted.
DROP TABLE login_failures;

CREATE TABLE sign_in_limits (
  key TEXT PRIMARY KEY,
  attempts BIGINT NOT NULL,
  window_start TEXT NOT NULL
);
CREATE INDEX sign_in_limits_window ON sign_in_limits (window_start);
