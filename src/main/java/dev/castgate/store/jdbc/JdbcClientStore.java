package dev.castgate.store.jdbc;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientLogout;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.domain.RequestObjectPolicy;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.ClientStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/** Redirect URIs and grant types are stored space-separated: neither can contain a space. */
record JdbcClientStore(HandleSource db) implements ClientStore {
    private static final String COLUMNS = "id, name, client_type, secret_hash, redirect_uris, grant_types, scopes, owner_id, access_token_ttl, id_token_alg, access_token_format, access_token_alg, refresh_grace_seconds, allow_implicit, allow_pkce_plain, prefix_redirect_match, legacy_api_writes, resource_server, admin_client, require_pushed_authorization_requests, email_in_id_token, created_at, token_endpoint_auth_method, jwks, jwks_uri, sealed_secret, require_signed_request_object, request_object_signing_alg, post_logout_redirect_uris, backchannel_logout_uri, backchannel_logout_session_required, dpop_bound_access_tokens";

    @Override
    public void insert(Client c) {
        db.run(h -> bindJwt(bindSettings(h.createUpdate("INSERT INTO clients (" + COLUMNS + ") VALUES (:id, :name, :type, :secret, :uris, :grants, :scopes, :owner, :ttl, :alg, :format, :at_alg, :grace, :implicit, :plain, :prefix, :api_writes, :resource_server, :admin, :require_par, :email_in_id_token, :created, :auth_method, :jwks, :jwks_uri, :sealed_secret, :require_signed_request_object, :request_object_signing_alg, :post_logout_uris, :backchannel_uri, :backchannel_sid, :dpop_bound)"), c), c.jwtAuth())
                .bind("type", c.type())
                .bind("secret", c.secretHash().map(TokenHash::value).orElse(null))
                .bind("created", c.createdAt())
                .execute());
    }

    @Override
    public boolean update(Client c) {
        return db.with(h -> bindSettings(h.createUpdate("UPDATE clients SET name = :name, redirect_uris = :uris, grant_types = :grants, "
                        + "scopes = :scopes, owner_id = :owner, access_token_ttl = :ttl, id_token_alg = :alg, "
                        + "access_token_format = :format, access_token_alg = :at_alg, refresh_grace_seconds = :grace, allow_implicit = :implicit, "
                        + "allow_pkce_plain = :plain, prefix_redirect_match = :prefix, legacy_api_writes = :api_writes, resource_server = :resource_server, admin_client = :admin, "
                        + "require_pushed_authorization_requests = :require_par, email_in_id_token = :email_in_id_token, "
                        + "require_signed_request_object = :require_signed_request_object, request_object_signing_alg = :request_object_signing_alg, "
                        + "post_logout_redirect_uris = :post_logout_uris, backchannel_logout_uri = :backchannel_uri, "
                        + "backchannel_logout_session_required = :backchannel_sid, dpop_bound_access_tokens = :dpop_bound "
                        + "WHERE id = :id"), c)
                .execute()) == 1;
    }

    @Override
    public boolean replaceAuthentication(ClientId clientId, TokenHash secretHash, Optional<JwtClientAuth> jwtAuth) {
        return db.with(h -> bindJwt(h.createUpdate("UPDATE clients SET secret_hash = :hash, token_endpoint_auth_method = :auth_method, "
                        + "jwks = :jwks, jwks_uri = :jwks_uri, sealed_secret = :sealed_secret WHERE id = :id AND secret_hash IS NOT NULL"), jwtAuth)
                .bind("id", clientId.value())
                .bind("hash", secretHash.value())
                .execute()) == 1;
    }

    /**
     * One atomic insert (DESIGN rule 7): of two requests with the same assertion, however close
     * together, exactly one inserts the row and the other is told it was seen.
     */
    @Override
    public boolean recordAssertion(ClientId clientId, TokenHash jtiHash, Instant expiresAt) {
        return db.with(h -> h.createUpdate("INSERT INTO client_assertion_jtis (client_id, jti_hash, expires_at) VALUES (:client, :hash, :expires) "
                        + "ON CONFLICT (client_id, jti_hash) DO NOTHING")
                .bind("client", clientId.value())
                .bind("hash", jtiHash.value())
                .bind("expires", expiresAt)
                .execute()) == 1;
    }

    /** The JWT client authentication columns, each NULL for a client that sends its secret (or, native, nothing). */
    private static Update bindJwt(Update statement, Optional<JwtClientAuth> jwtAuth) {
        return statement
                .bind("auth_method", jwtAuth.map(j -> j.method().wireName()).orElse(null))
                .bind("jwks", jwtAuth.flatMap(JwtClientAuth::jwks).orElse(null))
                .bind("jwks_uri", jwtAuth.flatMap(JwtClientAuth::jwksUri).orElse(null))
                .bind("sealed_secret", jwtAuth.flatMap(JwtClientAuth::sealedSecret).orElse(null));
    }

    /** What an insert and an update both write: every setting but the type, the secret and the creation time. */
    private static Update bindSettings(Update statement, Client c) {
        return statement
                .bind("id", c.id())
                .bind("name", c.name())
                .bind("uris", String.join(" ", c.redirectUris()))
                .bind("grants", c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(" ")))
                .bind("scopes", c.allowedScope())
                .bind("owner", c.ownerId().map(UserId::value).orElse(null))
                .bind("ttl", c.accessTokenTtl().map(Duration::toSeconds).orElse(null))
                .bind("alg", c.idTokenAlgorithm())
                .bind("format", c.accessTokenFormat())
                .bind("at_alg", c.accessTokenAlgorithm())
                .bind("grace", (int) c.refreshGrace().toSeconds())
                .bind("implicit", c.legacy().implicit() ? 1 : 0)
                .bind("plain", c.legacy().pkcePlain() ? 1 : 0)
                .bind("prefix", c.legacy().prefixRedirectMatch() ? 1 : 0)
                .bind("api_writes", c.legacy().apiWrites() ? 1 : 0)
                .bind("resource_server", c.resourceServer() ? 1 : 0)
                .bind("admin", c.admin() ? 1 : 0)
                .bind("require_par", c.requirePushedAuthorizationRequests() ? 1 : 0)
                .bind("email_in_id_token", c.emailInIdToken() ? 1 : 0)
                .bind("require_signed_request_object", c.requestObjects().requireSigned() ? 1 : 0)
                .bind("request_object_signing_alg", c.requestObjects().signingAlg().orElse(null))
                .bind("post_logout_uris", String.join(" ", c.logout().postLogoutRedirectUris()))
                .bind("backchannel_uri", c.logout().backchannelLogoutUri().orElse(null))
                .bind("backchannel_sid", c.logout().backchannelLogoutSessionRequired() ? 1 : 0)
                .bind("dpop_bound", c.dpopBoundAccessTokens() ? 1 : 0);
    }

    @Override
    public Optional<Client> find(ClientId clientId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM clients WHERE id = :id")
                .bind("id", clientId.value())
                .map(ROW) // named, not looked up by type: every client authentication's miss comes here
                .findOne());
    }

    @Override
    public List<Client> list() {
        return db.list(Client.class, "SELECT " + COLUMNS + " FROM clients ORDER BY created_at, id", Map.of());
    }

    @Override
    public Optional<Duration> longestAccessTokenTtl() {
        return db.with(h -> h.createQuery("SELECT MAX(access_token_ttl) FROM clients").mapTo(Long.class).findOne())
                .map(Duration::ofSeconds);
    }

    @Override
    public boolean delete(ClientId clientId) {
        return db.update("DELETE FROM clients WHERE id = :id", Map.of("id", clientId)) == 1;
    }

    @Override
    public boolean replaceSecretHash(ClientId clientId, TokenHash secretHash) {
        return db.update("UPDATE clients SET secret_hash = :hash WHERE id = :id AND secret_hash IS NOT NULL",
                Map.of("hash", secretHash, "id", clientId)) == 1;
    }

    /**
     * Written out rather than a {@link RecordMapper}: the lists, the durations in seconds and the
     * flags have no column of their own shape. Registered once by {@link Mappings}.
     */
    private static Optional<JwtClientAuth> jwtAuth(Optional<ClientAuthMethod> method, String jwks, String jwksUri, String sealedSecret) {
        return method.map(m -> new JwtClientAuth(m, Optional.ofNullable(jwks), Optional.ofNullable(jwksUri), Optional.ofNullable(sealedSecret)));
    }

    static final RowMapper<Client> ROW = (rs, ctx) -> {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String g : rs.getString("grant_types").split(" ")) GrantType.find(g).ifPresent(grants::add);
        long ttl = rs.getLong("access_token_ttl");
        Optional<Duration> accessTtl = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(ttl));
        String uris = rs.getString("redirect_uris");
        String postLogoutUris = rs.getString("post_logout_redirect_uris");
        return new Client(
                new ClientId(rs.getString("id")),
                rs.getString("name"),
                ClientType.parse(rs.getString("client_type")),
                Optional.ofNullable(rs.getString("secret_hash")).map(TokenHash::new),
                uris.isEmpty() ? List.of() : Arrays.asList(uris.split(" ")),
                grants,
                Scope.parseOrNull(rs.getString("scopes")),
                Optional.ofNullable(rs.getString("owner_id")).map(UserId::new),
                accessTtl,
                SigningAlgorithm.parse(rs.getString("id_token_alg")),
                AccessTokenFormat.parse(rs.getString("access_token_format")),
                SigningAlgorithm.parse(rs.getString("access_token_alg")),
                Duration.ofSeconds(rs.getInt("refresh_grace_seconds")),
                new Client.Legacy(rs.getInt("allow_implicit") != 0, rs.getInt("allow_pkce_plain") != 0,
                        rs.getInt("prefix_redirect_match") != 0, rs.getInt("legacy_api_writes") != 0),
                rs.getInt("resource_server") != 0,
                rs.getInt("admin_client") != 0,
                rs.getInt("require_pushed_authorization_requests") != 0,
                rs.getInt("email_in_id_token") != 0,
                Instant.ofEpochMilli(rs.getLong("created_at")),
                jwtAuth(ClientAuthMethod.find(String.valueOf(rs.getString("token_endpoint_auth_method"))), rs.getString("jwks"),
                        rs.getString("jwks_uri"), rs.getString("sealed_secret")),
                new RequestObjectPolicy(rs.getInt("require_signed_request_object") != 0,
                        Optional.ofNullable(rs.getString("request_object_signing_alg"))),
                new ClientLogout(postLogoutUris.isEmpty() ? List.of() : Arrays.asList(postLogoutUris.split(" ")),
                        Optional.ofNullable(rs.getString("backchannel_logout_uri")), rs.getInt("backchannel_logout_session_required") != 0),
                rs.getInt("dpop_bound_access_tokens") != 0);
    };
}
