package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.optionalString;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.store.ClientStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Redirect URIs and grant types are stored space-separated: neither can contain a space. */
final class JdbcClientStore implements ClientStore {
    private static final String COLUMNS = "id, name, client_type, secret_hash, redirect_uris, grant_types, scopes, owner_id, access_token_ttl, id_token_alg, access_token_format, access_token_alg, refresh_grace_seconds, allow_implicit, allow_pkce_plain, prefix_redirect_match, created_at";
    private final HandleSource db;

    JdbcClientStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(Client c) {
        db.run(h -> h.createUpdate("INSERT INTO clients (" + COLUMNS + ") VALUES (:id, :name, :type, :secret, :uris, :grants, :scopes, :owner, :ttl, :alg, :format, :at_alg, :grace, :implicit, :plain, :prefix, :created)")
                .bind("id", c.id())
                .bind("name", c.name())
                .bind("type", c.type().wireName())
                .bind("secret", c.secretHash().orElse(null))
                .bind("uris", String.join(" ", c.redirectUris()))
                .bind("grants", c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(" ")))
                .bind("scopes", c.allowedScope().wireValue())
                .bind("owner", c.ownerId().orElse(null))
                .bind("ttl", c.accessTokenTtl().map(Duration::toSeconds).orElse(null))
                .bind("alg", c.idTokenAlgorithm().name())
                .bind("format", c.accessTokenFormat().wireName())
                .bind("at_alg", c.accessTokenAlgorithm().name())
                .bind("grace", (int) c.refreshGrace().toSeconds())
                .bind("implicit", c.legacy().implicit() ? 1 : 0)
                .bind("plain", c.legacy().pkcePlain() ? 1 : 0)
                .bind("prefix", c.legacy().prefixRedirectMatch() ? 1 : 0)
                .bind("created", c.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean update(Client c) {
        return db.with(h -> h.createUpdate("UPDATE clients SET name = :name, redirect_uris = :uris, grant_types = :grants, "
                        + "scopes = :scopes, owner_id = :owner, access_token_ttl = :ttl, id_token_alg = :alg, "
                        + "access_token_format = :format, access_token_alg = :at_alg, refresh_grace_seconds = :grace, allow_implicit = :implicit, "
                        + "allow_pkce_plain = :plain, prefix_redirect_match = :prefix WHERE id = :id")
                .bind("id", c.id())
                .bind("name", c.name())
                .bind("uris", String.join(" ", c.redirectUris()))
                .bind("grants", c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(" ")))
                .bind("scopes", c.allowedScope().wireValue())
                .bind("owner", c.ownerId().orElse(null))
                .bind("ttl", c.accessTokenTtl().map(Duration::toSeconds).orElse(null))
                .bind("alg", c.idTokenAlgorithm().name())
                .bind("format", c.accessTokenFormat().wireName())
                .bind("at_alg", c.accessTokenAlgorithm().name())
                .bind("grace", (int) c.refreshGrace().toSeconds())
                .bind("implicit", c.legacy().implicit() ? 1 : 0)
                .bind("plain", c.legacy().pkcePlain() ? 1 : 0)
                .bind("prefix", c.legacy().prefixRedirectMatch() ? 1 : 0)
                .execute()) == 1;
    }

    @Override
    public Optional<Client> find(String clientId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM clients WHERE id = :id")
                .bind("id", clientId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public List<Client> list() {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM clients ORDER BY created_at, id")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public boolean delete(String clientId) {
        return db.with(h -> h.createUpdate("DELETE FROM clients WHERE id = :id").bind("id", clientId).execute()) == 1;
    }

    @Override
    public boolean replaceSecretHash(String clientId, String secretHash) {
        return db.with(h -> h.createUpdate("UPDATE clients SET secret_hash = :hash WHERE id = :id AND secret_hash IS NOT NULL")
                .bind("hash", secretHash).bind("id", clientId).execute()) == 1;
    }

    private static Client map(ResultSet rs) throws SQLException {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String g : rs.getString("grant_types").split(" ")) GrantType.find(g).ifPresent(grants::add);
        long ttl = rs.getLong("access_token_ttl");
        Optional<Duration> accessTtl = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(ttl));
        String uris = rs.getString("redirect_uris");
        return new Client(
                rs.getString("id"),
                rs.getString("name"),
                ClientType.parse(rs.getString("client_type")),
                optionalString(rs, "secret_hash"),
                uris.isEmpty() ? List.of() : Arrays.asList(uris.split(" ")),
                grants,
                Scope.parseOrNull(rs.getString("scopes")),
                optionalString(rs, "owner_id"),
                accessTtl,
                SigningAlgorithm.parse(rs.getString("id_token_alg")),
                AccessTokenFormat.parse(rs.getString("access_token_format")),
                SigningAlgorithm.parse(rs.getString("access_token_alg")),
                Duration.ofSeconds(rs.getInt("refresh_grace_seconds")),
                new Client.Legacy(rs.getInt("allow_implicit") != 0, rs.getInt("allow_pkce_plain") != 0,
                        rs.getInt("prefix_redirect_match") != 0),
                instant(rs, "created_at"));
    }
}
