package dev.castgate.introspect;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.Scope;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.keys.SigningKeys;
import dev.castgate.store.Stores;
import dev.castgate.token.TokenResponse;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST /oauth2/introspect (RFC 7662), for resource servers. A confidential client that proves
 * itself with its secret may introspect its own tokens; a client registered as a resource server
 * also other clients' access tokens, which their callers present to it; a refresh token only
 * its own client (§4: the server decides who learns about which token; see
 * {@link dev.castgate.domain.Client#mayIntrospect}). Public clients have no secret, so they cannot
 * authenticate here and get invalid_client (§2.1: the endpoint must be protected against token
 * scanning). Access tokens of either format and refresh tokens are known; anything not live, or
 * not the caller's to know about, is {@code {"active": false}} and nothing more (§2.2), so
 * expired, revoked, used, unknown and other clients' tokens look alike; so does a JWT access token
 * whose signing key was retired.
 *
 * <p>A caller that asks for {@code application/token-introspection+jwt} in its {@code Accept}
 * header gets the same answer signed (RFC 9701), by {@link SignedIntrospection}; any other caller,
 * and every error, gets plain JSON.
 */
public record IntrospectionEndpoint(Stores stores, SigningKeys keys, SignedIntrospection signed, Clock clock) {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    /** The form is parsed and the client authenticated by the router, as the route declares. */
    public void handle(Context ctx, Form form, AuthenticatedClient caller) {
        if (caller.method() == AuthenticatedClient.Method.NONE) {
            throw OAuthException.invalidClient("the introspection endpoint needs client authentication with a client secret");
        }
        String token = form.require("token");
        TokenHash hash = Hashes.tokenHash(token);
        Instant now = clock.instant();
        // §2.1: the hint says where to look first; an unknown hint is ignored and both types are searched.
        boolean refreshFirst = form.optional("token_type_hint").filter("refresh_token"::equals).isPresent();
        Client client = caller.client();
        Optional<Map<String, Object>> found = refreshFirst
                ? refreshToken(hash, now, client).or(() -> accessToken(token, hash, now, client))
                : accessToken(token, hash, now, client).or(() -> refreshToken(hash, now, client));
        Map<String, Object> answer = found.orElse(INACTIVE);
        if (SignedIntrospection.asked(ctx)) {
            signed.respond(ctx, client, answer, now);
        } else {
            Json.respond(ctx, 200, answer);
        }
    }

    /** One query: the token, its grant and its account's username. */
    private Optional<Map<String, Object>> accessToken(String presented, TokenHash hash, Instant now, Client caller) {
        return stores.tokens().findActiveAccessTokenWithUsername(hash, now)
                .filter(found -> caller.mayIntrospect(found.token().clientId(), false))
                .filter(found -> keys.stillPublished(presented))
                .map(found -> {
                    AccessToken token = found.token();
                    Map<String, Object> body = describe(token.scope(), token.clientId(), token.userId(), found.username(),
                            token.expiresAt(), token.issuedAt(), token.dpopBound() ? TokenResponse.DPOP_TOKEN_TYPE : TokenResponse.TOKEN_TYPE);
                    // RFC 9449 §6.2: the key a bound token is for, so the resource server can check the proof.
                    token.jkt().ifPresent(jkt -> body.put("cnf", Map.of("jkt", jkt)));
                    // RFC 7662 §2.2 and RFC 8707: the resources the token was narrowed to; a default token's answer stays as it was.
                    // One is a string, several an array, as in a JWT access token's aud.
                    List<String> aud = token.audience().resources();
                    if (!aud.isEmpty()) body.put("aud", aud.size() == 1 ? aud.get(0) : aud);
                    return body;
                });
    }

    /** A refresh token is active while it is unused, unexpired, its grant is live and its account not disabled. */
    private Optional<Map<String, Object>> refreshToken(TokenHash hash, Instant now, Client caller) {
        return stores.tokens().findRefreshToken(hash)
                .filter(token -> caller.mayIntrospect(token.clientId(), true))
                .filter(token -> token.usedAt().isEmpty() && token.expiresAt().isAfter(now))
                .filter(token -> !stores.tokens().grantRevoked(token.grantId()))
                .flatMap(token -> {
                    Optional<String> username = token.userId().flatMap(stores.users()::find)
                            .filter(user -> !user.disabled()).map(User::username);
                    // The account is gone or disabled, so is the token.
                    if (token.userId().isPresent() && username.isEmpty()) return Optional.empty();
                    // No cnf: only a public client's refresh token is bound (RFC 9449 §5), and a public client cannot introspect.
                    return Optional.of(describe(token.scope(), token.clientId(), token.userId(), username, token.expiresAt(),
                            token.issuedAt(), "refresh_token"));
                });
    }

    /**
     * §2.2. {@code sub} is the account the token acts for, or the client when it acts for none
     * (a client-credentials grant without an owner), as in RFC 9068 §2.2.
     */
    private static Map<String, Object> describe(Scope scope, ClientId clientId, Optional<UserId> userId, Optional<String> username,
                                                Instant expiresAt, Instant issuedAt, String tokenType) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        if (!scope.isEmpty()) body.put("scope", scope.wireValue());
        body.put("client_id", clientId.value());
        username.ifPresent(u -> body.put("username", u));
        body.put("sub", userId.map(UserId::value).orElse(clientId.value()));
        body.put("exp", expiresAt.getEpochSecond());
        body.put("iat", issuedAt.getEpochSecond());
        body.put("token_type", tokenType);
        return body;
    }
}
