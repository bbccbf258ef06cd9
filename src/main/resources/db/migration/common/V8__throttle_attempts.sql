-- Throttles record an attempt before they decide, so concurrent guesses all count. An attempt is
-- pending while it is checked, then either stays as a failure or is taken back (a sign-in that
-- succeeded, a refused one); its id finds its rows again.
ALTER TABLE login_failures ADD COLUMN attempt_id varchar(40);
ALTER TABLE login_failures ADD COLUMN pending smallint NOT NULL DEFAULT 0;
