-- Dynamic client registration (RFC 7591, RFC 7592). Portable SQL; times are epoch milliseconds,
-- tokens are kept only as SHA-256 hex.

-- Initial access tokens an operator makes (castgate registration-token create): each lets a
-- client register itself until it expires, as many times as uses_left says (NULL: no limit but
-- the expiry). A registration takes one use in one atomic UPDATE. Revoking deletes the row.
CREATE TABLE registration_tokens (
    id          varchar(40) PRIMARY KEY,
    token_hash  varchar(64) NOT NULL UNIQUE,
    created_at  bigint      NOT NULL,
    expires_at  bigint      NOT NULL,
    uses_left   integer
);

-- A client that registered itself: the hash of its registration access token (RFC 7592 §1),
-- which reads, changes and deletes its registration, and the token endpoint authentication
-- method it registered. The row goes with its client, however the client is removed.
CREATE TABLE client_registrations (
    client_id    varchar(40) PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    token_hash   varchar(64) NOT NULL UNIQUE,
    auth_method  varchar(40) NOT NULL,
    issued_at    bigint      NOT NULL
);
