-- JWT client authentication (RFC 7523 §2.2). Portable SQL; times are epoch milliseconds.

-- How a client proves itself at the token, revocation, introspection, PAR and device endpoints,
-- where it is not the default of its type (NULL: a web client's secret, in the Basic header or
-- the form; a native client's nothing): private_key_jwt or client_secret_jwt. A private_key_jwt
-- client's public keys are a JWK Set (jwks) or where to fetch one (jwks_uri). A client_secret_jwt
-- client's secret is also kept sealed with the key of keys at rest (sealed_secret): an HMAC
-- cannot be checked against the SHA-256 hash that secret_hash holds.
ALTER TABLE clients ADD COLUMN token_endpoint_auth_method varchar(20);
ALTER TABLE clients ADD COLUMN jwks text;
ALTER TABLE clients ADD COLUMN jwks_uri varchar(2000);
ALTER TABLE clients ADD COLUMN sealed_secret text;

-- The jti of every client assertion accepted, kept under its SHA-256 until the assertion expires
-- (RFC 7523 §3 item 7: a replayed assertion is refused). The primary key makes a replay, however
-- concurrent, lose its insert; housekeeping deletes a row once the assertion could not be used anyway.
CREATE TABLE client_assertion_jtis (
    client_id   varchar(40) NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    jti_hash    varchar(64) NOT NULL,
    expires_at  bigint      NOT NULL,
    PRIMARY KEY (client_id, jti_hash)
);
CREATE INDEX client_assertion_jtis_expires ON client_assertion_jtis (expires_at);
