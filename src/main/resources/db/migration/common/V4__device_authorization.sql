-- The device authorization grant (RFC 8628). One row per device authorization request: the
-- device code and the user code are stored as SHA-256 hashes only. The row moves from 'pending'
-- to 'approved' or 'denied' on the /device page, and from 'approved' to 'issued' in the one
-- token request that gets the tokens. Housekeeping deletes rows once they expire.
CREATE TABLE device_codes (
    hash             varchar(64)   PRIMARY KEY,
    user_code_hash   varchar(64)   NOT NULL,
    client_id        varchar(40)   NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    scope            varchar(1000) NOT NULL,
    device_name      varchar(200),
    status           varchar(10)   NOT NULL,
    user_id          varchar(40)   REFERENCES users (id) ON DELETE CASCADE,
    grant_id         varchar(40)   REFERENCES grants (id) ON DELETE CASCADE,
    auth_time        bigint,
    interval_seconds integer       NOT NULL,
    last_polled_at   bigint,
    created_at       bigint        NOT NULL,
    expires_at       bigint        NOT NULL,
    decided_at       bigint,
    issued_at        bigint
);
-- A user code names one live row: unique over every stored row, which outlive their pending time
-- only until they expire.
CREATE UNIQUE INDEX device_codes_user_code ON device_codes (user_code_hash);
CREATE INDEX device_codes_expires ON device_codes (expires_at);
CREATE INDEX device_codes_grant ON device_codes (grant_id);
