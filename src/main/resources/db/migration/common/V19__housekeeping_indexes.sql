-- The indexes housekeeping's deletes need: each rule picks its rows by a range of one of these
-- (expired, revoked, old), a batch at a time, and without them every batch read the whole table.
-- Revocations are rare, so those indexes are partial: a live row is not in them, and issuing a
-- token does not write them.
CREATE INDEX grants_revoked ON grants (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);
CREATE INDEX access_tokens_expires ON access_tokens (expires_at);
CREATE INDEX access_tokens_revoked ON access_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_revoked ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX login_failures_time ON login_failures (failed_at);
