package dev.castgate.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A registered client. {@code secretHash} is the SHA-256 of the secret (web clients only);
 * {@code ownerId} is the account a client-credentials token acts for. {@code refreshGrace} is how
 * long after a refresh token's rotation presenting it again counts as a retry rather than reuse.
 * {@code accessTokenAlgorithm} signs its JWT access tokens. A {@code resourceServer} may introspect
 * other clients' access tokens (RFC 7662 §4: the server decides who may learn about which tokens).
 * {@code legacy} holds the original service's behaviours the client is allowed (see {@link Legacy}).
 * An {@code admin} client is the operator's tool: it alone may receive the {@code admin} scope, for
 * the admin API ({@link #mayReceiveAdminScope}).
 * {@code requirePushedAuthorizationRequests}: its authorization requests are accepted only when
 * pushed first (RFC 9126 §6).
 * {@code emailInIdToken}: its ID tokens carry {@code email} and {@code email_verified} with the
 * {@code email} scope, as the original service's did; otherwise those claims come from userinfo only.
 * {@code jwtAuth}: the client proves itself with a signed JWT (RFC 7523), and in no other way.
 * {@code requestObjects}: whether its authorization requests must come in a signed request object,
 * and with which algorithm (RFC 9101).
 * {@code logout}: where it is sent back after logout and told of logouts ({@link ClientLogout}).
 * {@code dpopBoundAccessTokens}: its token requests must carry a DPoP proof, so every access token
 * it gets is bound to its key (RFC 9449 §5.2).
 */
public record Client(
        ClientId id,
        String name,
        ClientType type,
        Optional<TokenHash> secretHash,
        List<String> redirectUris,
        Set<GrantType> grantTypes,
        Scope allowedScope,
        Optional<UserId> ownerId,
        Optional<Duration> accessTokenTtl,
        SigningAlgorithm idTokenAlgorithm,
        AccessTokenFormat accessTokenFormat,
        SigningAlgorithm accessTokenAlgorithm,
        Duration refreshGrace,
        Legacy legacy,
        boolean resourceServer,
        boolean admin,
        boolean requirePushedAuthorizationRequests,
        boolean emailInIdToken,
        Instant createdAt,
        Optional<JwtClientAuth> jwtAuth,
        RequestObjectPolicy requestObjects,
        ClientLogout logout,
        boolean dpopBoundAccessTokens) {

    /**
     * The refresh grace window of a client registered without one: long enough for a retry of a
     * refresh whose answer was lost (a request waits at most 24 s for its commit with the default
     * database timeouts, then the client is told to retry after 5 s), short enough to stay a retry.
     * The window only ever answers the same successor, so it never forks the grant.
     */
    public static final Duration DEFAULT_REFRESH_GRACE = Duration.ofSeconds(30);

    /** The longest refresh grace window a client may have: a retry, not a second session. */
    public static final Duration MAX_REFRESH_GRACE = Duration.ofSeconds(60);

    public Client {
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
    }

    /** A client that proves itself as its type does by default: a web client with its secret, a native one with nothing. */
    public Client(ClientId id, String name, ClientType type, Optional<TokenHash> secretHash, List<String> redirectUris,
                  Set<GrantType> grantTypes, Scope allowedScope, Optional<UserId> ownerId, Optional<Duration> accessTokenTtl,
                  SigningAlgorithm idTokenAlgorithm, AccessTokenFormat accessTokenFormat, SigningAlgorithm accessTokenAlgorithm,
                  Duration refreshGrace, Legacy legacy, boolean resourceServer, boolean admin,
                  boolean requirePushedAuthorizationRequests, boolean emailInIdToken, Instant createdAt) {
        this(id, name, type, secretHash, redirectUris, grantTypes, allowedScope, ownerId, accessTokenTtl, idTokenAlgorithm,
                accessTokenFormat, accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin,
                requirePushedAuthorizationRequests, emailInIdToken, createdAt, Optional.empty(), RequestObjectPolicy.NONE, ClientLogout.NONE,
                false);
    }

    /** A client that needs no request objects and takes no part in logout beyond the browser's own. */
    public Client(ClientId id, String name, ClientType type, Optional<TokenHash> secretHash, List<String> redirectUris,
                  Set<GrantType> grantTypes, Scope allowedScope, Optional<UserId> ownerId, Optional<Duration> accessTokenTtl,
                  SigningAlgorithm idTokenAlgorithm, AccessTokenFormat accessTokenFormat, SigningAlgorithm accessTokenAlgorithm,
                  Duration refreshGrace, Legacy legacy, boolean resourceServer, boolean admin,
                  boolean requirePushedAuthorizationRequests, boolean emailInIdToken, Instant createdAt, Optional<JwtClientAuth> jwtAuth) {
        this(id, name, type, secretHash, redirectUris, grantTypes, allowedScope, ownerId, accessTokenTtl, idTokenAlgorithm,
                accessTokenFormat, accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin,
                requirePushedAuthorizationRequests, emailInIdToken, createdAt, jwtAuth, RequestObjectPolicy.NONE, ClientLogout.NONE, false);
    }

    /** The same client, proving itself as {@code jwtAuth} says (none: as its type does by default). */
    public Client withJwtAuth(Optional<JwtClientAuth> jwtAuth) {
        return new Client(id, name, type, secretHash, redirectUris, grantTypes, allowedScope, ownerId, accessTokenTtl,
                idTokenAlgorithm, accessTokenFormat, accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin,
                requirePushedAuthorizationRequests, emailInIdToken, createdAt, jwtAuth, requestObjects, logout, dpopBoundAccessTokens);
    }

    /** The same client, with {@code requestObjects} as what it registered about request objects. */
    public Client withRequestObjects(RequestObjectPolicy requestObjects) {
        return new Client(id, name, type, secretHash, redirectUris, grantTypes, allowedScope, ownerId, accessTokenTtl,
                idTokenAlgorithm, accessTokenFormat, accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin,
                requirePushedAuthorizationRequests, emailInIdToken, createdAt, jwtAuth, requestObjects, logout, dpopBoundAccessTokens);
    }

    /** The same client, taking part in logout as {@code logout} says. */
    public Client withLogout(ClientLogout logout) {
        return new Client(id, name, type, secretHash, redirectUris, grantTypes, allowedScope, ownerId, accessTokenTtl,
                idTokenAlgorithm, accessTokenFormat, accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin,
                requirePushedAuthorizationRequests, emailInIdToken, createdAt, jwtAuth, requestObjects, logout, dpopBoundAccessTokens);
    }

    /** The same client, its access tokens always DPoP-bound or not. */
    public Client withDpopBoundAccessTokens(boolean dpopBoundAccessTokens) {
        return new Client(id, name, type, secretHash, redirectUris, grantTypes, allowedScope, ownerId, accessTokenTtl,
                idTokenAlgorithm, accessTokenFormat, accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin,
                requirePushedAuthorizationRequests, emailInIdToken, createdAt, jwtAuth, requestObjects, logout, dpopBoundAccessTokens);
    }

    /** How the client authenticates at the token endpoint (RFC 7591 §2); a web client's secret counts as client_secret_basic. */
    public ClientAuthMethod authMethod() {
        return jwtAuth.map(JwtClientAuth::method).orElse(type.confidential() ? ClientAuthMethod.CLIENT_SECRET_BASIC : ClientAuthMethod.NONE);
    }

    /**
     * The original service's behaviour where it departs from today's standards, each off unless
     * the client is registered for it: the implicit flow with the token in the redirect's query,
     * PKCE with the plain method, redirect URIs matched by prefix, and Streaming API writes
     * (channels and videos) with a token of any scope.
     */
    public record Legacy(boolean implicit, boolean pkcePlain, boolean prefixRedirectMatch, boolean apiWrites) {
        public static final Legacy NONE = new Legacy(false, false, false, false);
    }

    public boolean allows(GrantType grantType) { return grantTypes.contains(grantType); }

    /**
     * RFC 7662 §4: whether this client may learn about a token issued to {@code holder}. A client
     * may introspect its own tokens, a resource server any client's access tokens; a refresh
     * token is only ever its own client's business, since nothing but that client presents it.
     */
    public boolean mayIntrospect(ClientId holder, boolean refreshToken) {
        return id.equals(holder) || (resourceServer && !refreshToken);
    }

    /**
     * The one rule for who may hold the admin API: an admin client, which is confidential (it
     * proves itself with its secret), asking for itself through client_credentials. No person's
     * consent hands it out, so every other grant refuses the scope.
     */
    public boolean mayReceiveAdminScope(GrantType grantType) {
        return admin && type.confidential() && grantType == GrantType.CLIENT_CREDENTIALS;
    }

    /** RFC 9700 §2.1.1: public clients must use PKCE. */
    public boolean requiresPkce() { return type == ClientType.NATIVE; }
}
