-- Email verification and account recovery. A link in a mail is stored by the SHA-256 of its token
-- only; the token is derived again from the row's id when the mail is sent (see EmailLinks), so
-- it is never stored. Housekeeping deletes links once they expire.
CREATE TABLE email_links (
    id          varchar(40)   PRIMARY KEY,
    token_hash  varchar(64)   NOT NULL UNIQUE,
    user_id     varchar(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'verify' (the address in email) or 'reset' (a new password)
    purpose     varchar(10)   NOT NULL,
    email       varchar(320)  NOT NULL,
    -- where the person was when they asked (an authorization request, the device page), to go on from
    return_to   varchar(4000),
    created_at  bigint        NOT NULL,
    expires_at  bigint        NOT NULL,
    consumed_at bigint
);
CREATE INDEX email_links_user ON email_links (user_id, purpose);
CREATE INDEX email_links_expires ON email_links (expires_at);

-- Mail waiting to be sent, written in the transaction of the change that causes it and sent by a
-- background worker on any node: a row is claimed for a lease (claimed_until) by one conditional
-- UPDATE, tried, then marked done or given a later next_attempt_at. A mail whose link goes goes
-- with it. Housekeeping deletes rows once done.
CREATE TABLE mail_outbox (
    id              varchar(40)  PRIMARY KEY,
    user_id         varchar(40)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            varchar(30)  NOT NULL,
    recipient       varchar(320) NOT NULL,
    language        varchar(10)  NOT NULL,
    link_id         varchar(40)  REFERENCES email_links (id) ON DELETE CASCADE,
    detail          varchar(320),
    created_at      bigint       NOT NULL,
    give_up_at      bigint       NOT NULL,
    next_attempt_at bigint       NOT NULL,
    attempts        integer      NOT NULL DEFAULT 0,
    claimed_by      varchar(40),
    claimed_until   bigint,
    last_error      varchar(500),
    -- 'sent', 'dropped' (its link was used or superseded first) or 'given_up'
    outcome         varchar(10),
    done_at         bigint
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE done_at IS NULL;
CREATE INDEX mail_outbox_done ON mail_outbox (done_at);
CREATE INDEX mail_outbox_link ON mail_outbox (link_id);
