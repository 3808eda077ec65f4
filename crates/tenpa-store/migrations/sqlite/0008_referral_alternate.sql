-- JP-4 (F 1(g), A 10.1): the username of the person a referral is with instead of the Medical
-- Director, when the Medical Director is a party to the initial decision. Set by the `refer` step,
-- cleared by every later version; each change is in the plan's audited version history.
ALTER TABLE job_plans ADD COLUMN referral_alternate TEXT;
