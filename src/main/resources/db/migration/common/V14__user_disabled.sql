-- An operator may disable an account: while disabled_at is set it cannot sign in, and its
-- sessions and tokens are refused everywhere (docs/design-notes.md, Accounts). Enabling clears it.
ALTER TABLE users ADD COLUMN disabled_at bigint;

-- Removing an account anonymises its audit events (user_id replaced, address and detail cleared),
-- found by this index rather than by a scan of the whole trail.
CREATE INDEX audit_events_user ON audit_events (user_id);
