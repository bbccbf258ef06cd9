-- Every node caches live access tokens (the Streaming API) and clients for a few seconds. These
-- triggers tell every node, through NOTIFY on the channel castgate_changes, when a cached entry
-- may have stopped being true, whichever node or command-line tool made the change: PostgreSQL
-- delivers the notice at commit, and each node's listener forgets the entries it names.
--   'tokens'      an access token or grant was revoked, or an account disabled or removed
--   'client:ID'   the client ID was changed or removed
-- Statement-level where one notice covers any number of rows; PostgreSQL also folds identical
-- notices of one transaction into one.

CREATE FUNCTION castgate_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('castgate_changes', 'tokens');
    RETURN NULL;
END
$$;

CREATE FUNCTION castgate_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('castgate_changes', 'client:' || OLD.id);
    -- A removed client's grants and tokens go with it, without a revocation to announce them.
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('castgate_changes', 'tokens');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER access_tokens_revoked AFTER UPDATE OF revoked_at ON access_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_tokens_changed();
CREATE TRIGGER grants_revoked AFTER UPDATE OF revoked_at ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_tokens_changed();
CREATE TRIGGER users_disabled AFTER UPDATE OF disabled_at OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_tokens_changed();
CREATE TRIGGER clients_changed AFTER UPDATE OR DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION castgate_client_changed();
