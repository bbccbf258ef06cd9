-- Castgate's core schema. Portable SQL for SQLite and PostgreSQL: times are epoch milliseconds in
-- bigint columns (SQLite has no timestamp type that both JDBC drivers read alike), secrets are
-- SHA-256 hex, and every token row carries the grant it belongs to.

CREATE TABLE users (
    id             varchar(40)  PRIMARY KEY,
    username       varchar(64)  NOT NULL UNIQUE,
    email          varchar(320) NOT NULL UNIQUE,
    email_verified boolean      NOT NULL,
    name           varchar(200),
    password_hash  varchar(200) NOT NULL,
    created_at     bigint       NOT NULL
);

CREATE TABLE clients (
    id                 varchar(40)   PRIMARY KEY,
    name               varchar(200)  NOT NULL,
    client_type        varchar(10)   NOT NULL,
    secret_hash        varchar(64),
    redirect_uris      varchar(8000) NOT NULL,
    grant_types        varchar(200)  NOT NULL,
    scopes             varchar(1000) NOT NULL,
    owner_id           varchar(40)   REFERENCES users (id) ON DELETE SET NULL,
    access_token_ttl   bigint,
    id_token_alg       varchar(10)   NOT NULL,
    created_at         bigint        NOT NULL
);

CREATE TABLE grants (
    id           varchar(40)   PRIMARY KEY,
    user_id      varchar(40)   REFERENCES users (id) ON DELETE CASCADE,
    client_id    varchar(40)   NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    scope        varchar(1000) NOT NULL,
    device_name  varchar(200),
    auth_time    bigint        NOT NULL,
    created_at   bigint        NOT NULL,
    last_used_at bigint        NOT NULL,
    revoked_at   bigint
);
CREATE INDEX grants_user ON grants (user_id);
CREATE INDEX grants_client ON grants (client_id);

-- A remembered consent: the scopes a user allowed a client, reused until revoked.
CREATE TABLE consents (
    user_id    varchar(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  varchar(40)   NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    scope      varchar(1000) NOT NULL,
    granted_at bigint        NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE authorization_codes (
    hash               varchar(64)   PRIMARY KEY,
    grant_id           varchar(40)   NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    client_id          varchar(40)   NOT NULL,
    user_id            varchar(40)   NOT NULL,
    redirect_uri       varchar(2000) NOT NULL,
    redirect_uri_given boolean       NOT NULL,
    scope              varchar(1000) NOT NULL,
    nonce              varchar(500),
    code_challenge     varchar(128),
    auth_time          bigint        NOT NULL,
    created_at         bigint        NOT NULL,
    expires_at         bigint        NOT NULL,
    consumed_at        bigint
);
CREATE INDEX authorization_codes_grant ON authorization_codes (grant_id);

CREATE TABLE access_tokens (
    hash       varchar(64)   PRIMARY KEY,
    grant_id   varchar(40)   NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    client_id  varchar(40)   NOT NULL,
    user_id    varchar(40),
    scope      varchar(1000) NOT NULL,
    issued_at  bigint        NOT NULL,
    expires_at bigint        NOT NULL,
    revoked_at bigint
);
CREATE INDEX access_tokens_grant ON access_tokens (grant_id);

CREATE TABLE refresh_tokens (
    hash       varchar(64)   PRIMARY KEY,
    grant_id   varchar(40)   NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    client_id  varchar(40)   NOT NULL,
    user_id    varchar(40),
    scope      varchar(1000) NOT NULL,
    issued_at  bigint        NOT NULL,
    expires_at bigint        NOT NULL,
    used_at    bigint,
    revoked_at bigint
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);

CREATE TABLE sessions (
    hash       varchar(64) PRIMARY KEY,
    user_id    varchar(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    auth_time  bigint      NOT NULL,
    created_at bigint      NOT NULL,
    expires_at bigint      NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE signing_keys (
    kid        varchar(64)   PRIMARY KEY,
    algorithm  varchar(10)   NOT NULL,
    jwk        varchar(8000) NOT NULL,
    created_at bigint        NOT NULL
);

-- Failed sign-ins, by account and by address, for throttling.
CREATE TABLE login_failures (
    throttle_key varchar(400) NOT NULL,
    failed_at    bigint       NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, failed_at);
