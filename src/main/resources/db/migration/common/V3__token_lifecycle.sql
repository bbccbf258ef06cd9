-- Token lifecycle: per-client access token format and refresh grace window, revocation lookups,
-- and the server secret that derives a rotated refresh token's successor.

-- 'opaque' (40 hex, the original's) or 'jwt' (RFC 9068); a token request may ask for jwt itself.
ALTER TABLE clients ADD COLUMN access_token_format varchar(10) NOT NULL DEFAULT 'opaque';
-- Seconds after a refresh token is rotated during which presenting it again is a retry, not
-- reuse (0 to 60; 0 keeps strict reuse detection).
ALTER TABLE clients ADD COLUMN refresh_grace_seconds integer NOT NULL DEFAULT 0;

-- Secrets the nodes share, created by the first node to start. 'refresh_successor' is the HMAC
-- key that derives the token a refresh token rotates into, so a retry within the grace window
-- gets the same successor on any node without the server keeping any token in the clear.
CREATE TABLE server_secrets (
    name       varchar(40)  PRIMARY KEY,
    secret     varchar(200) NOT NULL,
    created_at bigint       NOT NULL
);
