-- Resource indicators (RFC 8707). Portable SQL; times are epoch milliseconds.

-- The resource servers an operator registered (castgate resource add): clients name them with the
-- resource parameter. uri is the identifier, matched exactly; scopes, if given, the only scopes a
-- token for it may carry (space-separated). The Streaming API is known without a row.
CREATE TABLE resources (
    uri        varchar(400)  PRIMARY KEY,
    name       varchar(200)  NOT NULL,
    scopes     varchar(1000),
    created_at bigint        NOT NULL
);

-- The resources an authorization request named, kept with its grant: every access token of the
-- grant is for them, or for those of them a token request names. Space-separated; NULL for none
-- (the default audience, as before).
ALTER TABLE grants ADD COLUMN resources varchar(4100);

-- The access token's audience, when narrowed to named resources; NULL for the default. Kept for
-- opaque tokens too, so introspection reports aud and the Streaming API refuses another's token.
ALTER TABLE access_tokens ADD COLUMN audience varchar(4100);

-- Every node caches the registry; 'resources' tells each to forget it (see V18).
CREATE TRIGGER resources_changed AFTER INSERT OR UPDATE OR DELETE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_notify('resources');
