-- Email: an account's address; the outbox from which notifications are sent by email, retried
-- until sent (or given up on, with the reason); the reminders already given, so that a reminder
-- run twice tells no one twice; a consultant record's sex, optional, for the consistency report.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE consultants ADD COLUMN sex TEXT;
CREATE TABLE email_outbox (
  id BIGSERIAL PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT,
  failed_at TEXT,
  last_error TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (sent_at, failed_at, next_attempt_at);
CREATE TABLE reminders (
  key TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);
