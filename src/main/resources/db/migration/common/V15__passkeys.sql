-- Passkeys (WebAuthn Level 2): public-key credentials a person registers from the account page,
-- used as the second step after the password or, discoverable, to sign in without one.

-- One registered credential. credential_id is the credential's raw id, base64url without padding
-- (at most 1023 bytes, WebAuthn §5.1), public_key its COSE key (RFC 9052 §7), base64url too, so the
-- table is the same on both databases. sign_count is the last signature counter seen: an
-- authenticator that counts must count up, else it may have been cloned (§6.1.1). transports are
-- the hints the browser gave at registration, separated by spaces. A passkey goes with its account.
CREATE TABLE passkeys (
    credential_id varchar(1400) PRIMARY KEY,
    user_id       varchar(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    public_key    varchar(4000) NOT NULL,
    sign_count    bigint        NOT NULL,
    transports    varchar(200)  NOT NULL,
    name          varchar(100)  NOT NULL,
    created_at    bigint        NOT NULL,
    last_used_at  bigint
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- The challenges already answered: a challenge is made and checked without a row (it carries its
-- own expiry under an HMAC), and its SHA-256 goes here when it is used, so it is used once only,
-- on every node. Housekeeping deletes rows whose challenge has expired anyway.
CREATE TABLE passkey_challenges_used (
    hash       varchar(64) PRIMARY KEY,
    expires_at bigint      NOT NULL
);
CREATE INDEX passkey_challenges_used_expiry ON passkey_challenges_used (expires_at);
