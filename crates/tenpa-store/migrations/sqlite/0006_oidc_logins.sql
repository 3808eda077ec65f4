-- OpenID Connect sign-ins under way: the state (its SHA-256) and nonce of each authorization
-- request, kept server-side until the issuer redirects back or the request expires.
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);
