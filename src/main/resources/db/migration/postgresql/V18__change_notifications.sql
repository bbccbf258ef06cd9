-- Every node caches live access tokens (the Streaming API) and clients for a few seconds, and holds the
-- signing keys in memory. These
-- triggers tell every node, through NOTIFY on the channel castgate_changes, when a cached entry
-- may have stopped being true, whichever node or command-line tool made the change: PostgreSQL
-- delivers the notice at commit, and each node's listener forgets the entries it names.
--   'tokens'      an access token or grant was revoked, or an account disabled or removed
--   'client:ID'   the client ID was changed or removed
--   'keys'        a signing key was added, rotated or retired
-- Statement-level where one notice covers any number of rows; PostgreSQL also folds identical
-- notices of one transaction into one.

-- Statement-level triggers pass their notice's payload as the trigger's argument.
CREATE FUNCTION castgate_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('castgate_changes', TG_ARGV[0]);
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
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_notify('tokens');
CREATE TRIGGER grants_revoked AFTER UPDATE OF revoked_at ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_notify('tokens');
CREATE TRIGGER users_disabled AFTER UPDATE OF disabled_at OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_notify('tokens');
CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE ON signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION castgate_notify('keys');
CREATE TRIGGER clients_changed AFTER UPDATE OR DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION castgate_client_changed();
