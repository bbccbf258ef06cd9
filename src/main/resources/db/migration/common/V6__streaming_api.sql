-- The Streaming API's data: channels, video metadata, device passwords and the API's rate-limit
-- counters. Portable SQL; times are epoch milliseconds. Keys and passwords are kept only as
-- SHA-256 hex: a channel's keys are derived again from a server secret and the channel's nonces
-- when the ingest settings are shown (see broadcast/IngestKeys).

CREATE TABLE channels (
    id                   varchar(40)   PRIMARY KEY,
    owner_id             varchar(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title                varchar(200)  NOT NULL,
    description          varchar(4000) NOT NULL,
    stream_name          varchar(64)   NOT NULL UNIQUE,
    channel_key_nonce    varchar(64)   NOT NULL,
    channel_key_hash     varchar(64)   NOT NULL,
    streaming_key_nonce  varchar(64)   NOT NULL,
    streaming_key_hash   varchar(64)   NOT NULL,
    streaming_key_expires_at bigint    NOT NULL,
    created_at           bigint        NOT NULL
);
CREATE INDEX channels_owner ON channels (owner_id);

CREATE TABLE videos (
    id           varchar(40)   PRIMARY KEY,
    channel_id   varchar(40)   NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    owner_id     varchar(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        varchar(200)  NOT NULL,
    description  varchar(4000) NOT NULL,
    created_at   bigint        NOT NULL
);
CREATE INDEX videos_channel ON videos (channel_id);
CREATE INDEX videos_owner ON videos (owner_id);

CREATE TABLE device_passwords (
    user_name      varchar(40)  PRIMARY KEY,
    user_id        varchar(40)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_name    varchar(200) NOT NULL,
    password_hash  varchar(64)  NOT NULL,
    valid_from     bigint       NOT NULL,
    valid_until    bigint,
    created_at     bigint       NOT NULL
);
CREATE INDEX device_passwords_user ON device_passwords (user_id);

-- Fixed-window counters shared by every node: one row per bucket (token hash or address) and window.
CREATE TABLE api_rate_limits (
    bucket        varchar(100) NOT NULL,
    window_start  bigint       NOT NULL,
    window_end    bigint       NOT NULL,
    hits          integer      NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX api_rate_limits_end ON api_rate_limits (window_end);
