-- Who may introspect what, and the original service's scope-free API writes, per client (0 or 1).
-- A resource server may introspect other clients' access tokens; any other client only its own
-- (refresh tokens only ever by their own client).
ALTER TABLE clients ADD COLUMN resource_server integer NOT NULL DEFAULT 0;
-- The Streaming API's channel and video writes need the broadcaster scope, except for a client
-- registered for the original's behaviour, where any of its tokens could write.
ALTER TABLE clients ADD COLUMN legacy_api_writes integer NOT NULL DEFAULT 0;
