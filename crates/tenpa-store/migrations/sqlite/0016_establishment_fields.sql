-- The establishment fields of a consultant record, as the trust's staff record gives them
-- (`tenpa import establishment`): the GMC reference number, contracted PAs a week (a decimal, as
-- text) and the date the consultant started in the post. The record's id is its assignment number.
ALTER TABLE consultants ADD COLUMN gmc_number TEXT;
ALTER TABLE consultants ADD COLUMN contracted_pas TEXT;
ALTER TABLE consultants ADD COLUMN start_date TEXT;
