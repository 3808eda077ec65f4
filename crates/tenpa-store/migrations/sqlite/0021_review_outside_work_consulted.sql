-- A review's record of whether the consultant first consulted the employer before taking up
-- outside remunerated clinical work (PP-4, F 6(c); null when not recorded), and of a significant
-- increase in private practice in the year (PRV-1, F 6(f)).
ALTER TABLE reviews ADD COLUMN outside_work_consulted BIGINT;
ALTER TABLE reviews ADD COLUMN private_practice_increased BIGINT NOT NULL DEFAULT 0;
