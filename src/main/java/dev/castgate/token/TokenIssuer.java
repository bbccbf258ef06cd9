package dev.castgate.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.config.ServerConfig.TokenConfig;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.Grant;
import dev.castgate.domain.IdTokenAlgorithm;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.keys.SigningKeys;
import dev.castgate.store.Stores;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The only code that mints tokens: opaque or JWT access tokens, refresh tokens, and signed ID
 * tokens. Every access token, whatever its format, is stored by the SHA-256 of its whole value,
 * so revocation, introspection and userinfo find either kind with the same point lookup.
 */
public final class TokenIssuer {
    /** ID tokens prove a sign-in to the client at that moment; they need not live as long as access tokens. */
    static final Duration ID_TOKEN_TTL = Duration.ofHours(1);
    /** RFC 9068 §2.1. */
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final String HMAC = "HmacSHA256";

    private final String issuer;
    private final TokenConfig config;
    private final SigningKeys keys;
    private final RandomTokens random;
    private final Clock clock;
    private final SecretKeySpec successorKey;

    /**
     * {@code successorSecret} is the key every node shares (see {@link #successorOf}); it comes from
     * the database, so any node derives the same successor.
     */
    public TokenIssuer(String issuer, TokenConfig config, SigningKeys keys, RandomTokens random, Clock clock, String successorSecret) {
        this.issuer = issuer;
        this.config = config;
        this.keys = keys;
        this.random = random;
        this.clock = clock;
        this.successorKey = new SecretKeySpec(successorSecret.getBytes(StandardCharsets.US_ASCII), HMAC);
    }

    /** What an ID token needs beyond the grant: the person, when they signed in, and the client's nonce. */
    public record IdTokenContext(User user, Instant authTime, Optional<String> nonce) {}

    /** Which refresh token goes with the access token. */
    public sealed interface RefreshPlan {
        /** None (client credentials, or a client without the refresh grant). */
        record None() implements RefreshPlan {}
        /** A new, random refresh token: the first of a grant. */
        record Fresh() implements RefreshPlan {}
        /** Rotation: the successor of the presented (just used) token is stored and returned. */
        record Rotate(String presented) implements RefreshPlan {}
        /** A retry within the grace window: the successor the first request stored is returned again, not stored. */
        record Repeat(String presented) implements RefreshPlan {}
    }

    /** What to mint: the grant, the access token's scope and format, when the person signed in (if one did). */
    public record Issue(Client client, Grant grant, Scope scope, AccessTokenFormat format, Optional<Instant> authTime,
                        RefreshPlan refresh, Optional<IdTokenContext> idToken) {}

    /**
     * Stores and returns tokens for a grant inside the caller's transaction. The access token
     * carries {@code scope} (the grant's, or a narrower one on refresh); a refresh token always
     * carries the grant's. An ID token is issued when {@code idToken} is present.
     */
    public TokenResponse issue(Stores tx, Issue request) {
        Client client = request.client();
        Grant grant = request.grant();
        Scope scope = request.scope();
        Instant now = clock.instant();
        Duration accessTtl = client.accessTokenTtl().orElse(config.accessTokenTtl());
        Instant expiresAt = now.plus(accessTtl);
        String accessToken = switch (request.format()) {
            case OPAQUE -> random.hex40();
            case JWT -> jwtAccessToken(client, grant, scope, request.authTime(), now, expiresAt);
        };
        tx.tokens().insertAccessToken(new AccessToken(Hashes.sha256Hex(accessToken), grant.id(), client.id(),
                grant.userId(), scope, now, expiresAt));

        Optional<String> refreshToken = switch (request.refresh()) {
            case RefreshPlan.None none -> Optional.empty();
            case RefreshPlan.Fresh fresh -> Optional.of(storeRefreshToken(tx, random.hex40(), grant, client, now));
            case RefreshPlan.Rotate rotate -> Optional.of(storeRefreshToken(tx, successorOf(rotate.presented()), grant, client, now));
            case RefreshPlan.Repeat repeat -> Optional.of(successorOf(repeat.presented()));
        };
        Optional<String> signedIdToken = request.idToken().map(context -> idToken(client, scope, context, accessToken, now));
        return new TokenResponse(accessToken, accessTtl.toSeconds(), refreshToken, scope, signedIdToken);
    }

    /**
     * The token a refresh token rotates into: 160 bits of HMAC-SHA256 of it under the nodes'
     * shared key. Deterministic, so a retry within the grace window gets the very successor the
     * first request stored, on whichever node it lands, and the grant's chain never forks; keyed,
     * so a used token, or the database's hashes, reveal nothing about it.
     */
    public String successorOf(String presentedRefreshToken) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(successorKey);
            byte[] digest = mac.doFinal(("refresh-successor:" + presentedRefreshToken).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String storeRefreshToken(Stores tx, String value, Grant grant, Client client, Instant now) {
        tx.tokens().insertRefreshToken(new RefreshToken(Hashes.sha256Hex(value), grant.id(), client.id(),
                grant.userId(), grant.scope(), now, now.plus(config.refreshTokenTtl()), Optional.empty()));
        return value;
    }

    /**
     * RFC 9068 §2.2. The audience is the issuer itself, the default resource: the tokens are for
     * this server's own resources (userinfo and the Streaming API). {@code sub} is the person, or
     * the client when a client-credentials grant acts for no account (§2.2, client_credentials).
     */
    private String jwtAccessToken(Client client, Grant grant, Scope scope, Optional<Instant> authTime, Instant now, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .expirationTime(Date.from(expiresAt))
                .audience(issuer)
                .subject(grant.userId().orElse(client.id()))
                .claim("client_id", client.id())
                .issueTime(Date.from(now))
                .jwtID(random.hex40());
        if (!scope.isEmpty()) claims.claim("scope", scope.wireValue());
        authTime.ifPresent(at -> claims.claim("auth_time", at.getEpochSecond()));
        return sign(keys.active(IdTokenAlgorithm.ES256), AT_JWT, claims.build(), "an access token");
    }

    /** OIDC Core §2 and §3.1.3.6. */
    private String idToken(Client client, Scope scope, IdTokenContext context, String accessToken, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(context.user().id())
                .audience(client.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ID_TOKEN_TTL)))
                .claim("auth_time", context.authTime().getEpochSecond())
                .claim("at_hash", atHash(accessToken));
        context.nonce().ifPresent(nonce -> claims.claim("nonce", nonce));
        if (scope.contains(Scope.EMAIL)) {
            claims.claim("email", context.user().email()).claim("email_verified", context.user().emailVerified());
        }
        return sign(keys.active(client.idTokenAlgorithm()), JOSEObjectType.JWT, claims.build(), "an ID token");
    }

    /** Signs with the key's signer, parsed once at start. */
    private static String sign(SigningKeys.ActiveKey key, JOSEObjectType type, JWTClaimsSet claims, String what) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(type).build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign " + what, e);
        }
        return jwt.serialize();
    }

    /** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256 and ES256 both use SHA-256). */
    static String atHash(String accessToken) {
        byte[] digest = Hashes.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }
}
