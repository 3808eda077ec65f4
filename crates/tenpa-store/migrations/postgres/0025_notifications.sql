-- Notifications in the application: a job plan proposed to someone, waiting for their sign-off,
-- referred to them or signed off; read or not.
CREATE TABLE notifications (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  link TEXT NOT NULL,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_user ON notifications (username, read_at);
