-- A second factor: TOTP (RFC 6238) and single-use recovery codes, and how each sign-in was made.

-- A person's TOTP secret, base32, sealed at rest where the server seals its secrets. A row without
-- confirmed_at is a set-up not yet confirmed with a first code. last_step is the time step of the
-- last code accepted: a code is accepted only for a later step, so none is used twice (RFC 6238 §5.2).
CREATE TABLE totp_credentials (
    user_id      varchar(40)  PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       varchar(200) NOT NULL,
    created_at   bigint       NOT NULL,
    confirmed_at bigint,
    last_step    bigint
);

-- Recovery codes, accepted in place of a TOTP code, each once; stored as SHA-256 only.
CREATE TABLE recovery_codes (
    user_id    varchar(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       varchar(64) NOT NULL,
    created_at bigint      NOT NULL,
    used_at    bigint,
    PRIMARY KEY (user_id, hash)
);

-- How a session was signed in (RFC 8176 amr values, separated by spaces): every session so far
-- was signed in with a password.
ALTER TABLE sessions ADD COLUMN amr varchar(40) NOT NULL DEFAULT 'pwd';

-- The sign-in behind a grant, for the ID tokens its refresh tokens bring: amr as on the session,
-- and the acr reported. Grants stored before this version have neither.
ALTER TABLE grants ADD COLUMN amr varchar(40);
ALTER TABLE grants ADD COLUMN acr varchar(10);
