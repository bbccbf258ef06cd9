-- Pushed authorization requests (RFC 9126). Portable SQL; times are epoch milliseconds.

-- A request a client pushed, kept under the SHA-256 of its request_uri's random part until the
-- authorization endpoint takes it, once, in one DELETE, or it expires (housekeeping deletes it
-- then). The parameters are the validated request, form-encoded; no client credential is among them.
CREATE TABLE pushed_authorization_requests (
    hash        varchar(64) PRIMARY KEY,
    client_id   varchar(40) NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    parameters  text        NOT NULL,
    expires_at  bigint      NOT NULL
);
CREATE INDEX pushed_authorization_requests_expires ON pushed_authorization_requests (expires_at);
CREATE INDEX pushed_authorization_requests_client ON pushed_authorization_requests (client_id);

-- A client registered to send every authorization request through the pushed authorization
-- request endpoint (RFC 9126 §6, require_pushed_authorization_requests): 0 or 1.
ALTER TABLE clients ADD COLUMN require_pushed_authorization_requests integer NOT NULL DEFAULT 0;
