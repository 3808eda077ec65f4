-- The account linked to a consultant record is looked up with every plan summary (JP-1, two sides:
-- nobody acts for the employer on their own plan), so the link is indexed.
CREATE INDEX users_consultant ON users (consultant_id);
