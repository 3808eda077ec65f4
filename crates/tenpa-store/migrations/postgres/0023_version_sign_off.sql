-- What a sign-off said of the version's findings (JP-1): each warning and error acknowledged, with
-- its comment, and the medical director's reason for signing off a plan with an error. JSON; empty
-- on every other version.
ALTER TABLE job_plan_versions ADD COLUMN sign_off TEXT;
