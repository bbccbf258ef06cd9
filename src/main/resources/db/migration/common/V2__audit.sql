-- The audit trail of security events. Rows are kept for audit.retention and then deleted by
-- housekeeping; nothing else ever updates them.
CREATE TABLE audit_events (
    id          varchar(40)  PRIMARY KEY,
    occurred_at bigint       NOT NULL,
    event_type  varchar(40)  NOT NULL,
    outcome     varchar(10)  NOT NULL,
    user_id     varchar(40),
    client_id   varchar(40),
    address     varchar(64),
    detail      varchar(500)
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
