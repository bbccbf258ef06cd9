-- Logout: OpenID Connect RP-Initiated Logout 1.0 and Back-Channel Logout 1.0. Portable SQL;
-- times are epoch milliseconds.

-- The session's sid (Back-Channel Logout §2.1): a stable identifier of a browser sign-in, kept
-- through a step-up (which changes the cookie, and so the hash), carried in its ID tokens. NULL for
-- sessions started before it was kept.
ALTER TABLE sessions ADD COLUMN sid varchar(40);
CREATE INDEX sessions_sid ON sessions (sid);

-- The session a grant was given in: the clients to tell when that session ends are the clients of
-- its grants. NULL where no browser session was behind it (client credentials, password grant).
ALTER TABLE grants ADD COLUMN sid varchar(40);
CREATE INDEX grants_sid ON grants (sid);

-- Where a client may have the browser sent after logout (RP-Initiated Logout §3.1), space-separated
-- and matched exactly; its back-channel logout URI (Back-Channel Logout §2.2), and whether it needs
-- sid in the logout token.
ALTER TABLE clients ADD COLUMN post_logout_redirect_uris varchar(8000) NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN backchannel_logout_uri varchar(2000);
ALTER TABLE clients ADD COLUMN backchannel_logout_session_required integer NOT NULL DEFAULT 0;

-- Logout tokens waiting to be sent, written with the sign-out that causes them and sent by a
-- background worker on any node, as the mail outbox is: a row is claimed for a lease by one
-- conditional UPDATE, tried, then marked done or given a later next_attempt_at, until its attempts
-- run out. The token itself is signed at each attempt. Housekeeping deletes rows once done.
CREATE TABLE logout_deliveries (
    id              varchar(40)  PRIMARY KEY,
    client_id       varchar(40)  NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    user_id         varchar(40)  NOT NULL,
    sid             varchar(40),
    created_at      bigint       NOT NULL,
    next_attempt_at bigint       NOT NULL,
    attempts        integer      NOT NULL DEFAULT 0,
    claimed_by      varchar(40),
    claimed_until   bigint,
    last_error      varchar(500),
    -- 'sent' or 'given_up'
    outcome         varchar(10),
    done_at         bigint
);
CREATE INDEX logout_deliveries_due ON logout_deliveries (next_attempt_at) WHERE done_at IS NULL;
CREATE INDEX logout_deliveries_done ON logout_deliveries (done_at);
