-- DPoP (RFC 9449). Portable SQL; times are epoch milliseconds.

-- The JWK SHA-256 thumbprint (RFC 7638, base64url) of the key a token is bound to (§6), NULL for a
-- bearer token. A refresh token is bound only when it was issued to a public client (§5).
ALTER TABLE access_tokens ADD COLUMN jkt varchar(43);
ALTER TABLE refresh_tokens ADD COLUMN jkt varchar(43);

-- The key whose proof the code's token request must carry (dpop_jkt, §10), or NULL.
ALTER TABLE authorization_codes ADD COLUMN dpop_jkt varchar(43);

-- dpop_bound_access_tokens (§5.2): the client's token requests must carry a proof. 0 or 1.
ALTER TABLE clients ADD COLUMN dpop_bound_access_tokens integer NOT NULL DEFAULT 0;

-- The jti of every proof the token endpoint accepted, under the SHA-256 of its key's thumbprint
-- and its jti, until the proof's iat is too old to be accepted anyway (§11.1). The primary key
-- makes a replay, on any node, lose its insert.
CREATE TABLE dpop_proof_jtis (
    jti_hash    varchar(64) NOT NULL PRIMARY KEY,
    expires_at  bigint      NOT NULL
);
CREATE INDEX dpop_proof_jtis_expires ON dpop_proof_jtis (expires_at);
