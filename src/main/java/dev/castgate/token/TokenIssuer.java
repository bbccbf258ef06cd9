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
import dev.castgate.domain.Client;
import dev.castgate.domain.Grant;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.keys.SigningKeys;
import dev.castgate.store.Stores;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/** The only code that mints tokens: opaque access and refresh tokens, and signed ID tokens. */
public final class TokenIssuer {
    /** ID tokens prove a sign-in to the client at that moment; they need not live as long as access tokens. */
    static final Duration ID_TOKEN_TTL = Duration.ofHours(1);

    private final String issuer;
    private final TokenConfig config;
    private final SigningKeys keys;
    private final RandomTokens random;
    private final Clock clock;

    public TokenIssuer(String issuer, TokenConfig config, SigningKeys keys, RandomTokens random, Clock clock) {
        this.issuer = issuer;
        this.config = config;
        this.keys = keys;
        this.random = random;
        this.clock = clock;
    }

    /** What an ID token needs beyond the grant: the person, when they signed in, and the client's nonce. */
    public record IdTokenContext(User user, Instant authTime, Optional<String> nonce) {}

    /**
     * Stores and returns tokens for a grant inside the caller's transaction. The access token
     * carries {@code scope} (the grant's, or a narrower one on refresh); a refresh token, issued
     * when {@code withRefreshToken}, always carries the grant's. An ID token is issued when
     * {@code idToken} is present.
     */
    public TokenResponse issue(Stores tx, Client client, Grant grant, Scope scope, boolean withRefreshToken,
                               Optional<IdTokenContext> idToken) {
        Instant now = clock.instant();
        Duration accessTtl = client.accessTokenTtl().orElse(config.accessTokenTtl());
        String accessToken = random.hex40();
        tx.tokens().insertAccessToken(new AccessToken(Hashes.sha256Hex(accessToken), grant.id(), client.id(),
                grant.userId(), scope, now, now.plus(accessTtl)));

        Optional<String> refreshToken = Optional.empty();
        if (withRefreshToken) {
            String value = random.hex40();
            tx.tokens().insertRefreshToken(new RefreshToken(Hashes.sha256Hex(value), grant.id(), client.id(),
                    grant.userId(), grant.scope(), now, now.plus(config.refreshTokenTtl()), Optional.empty()));
            refreshToken = Optional.of(value);
        }
        Optional<String> signedIdToken = idToken.map(context -> idToken(client, scope, context, accessToken, now));
        return new TokenResponse(accessToken, accessTtl.toSeconds(), refreshToken, scope, signedIdToken);
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
        SigningKeys.ActiveKey key = keys.active(client.idTokenAlgorithm());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an ID token", e);
        }
        return jwt.serialize();
    }

    /** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256 and ES256 both use SHA-256). */
    static String atHash(String accessToken) {
        byte[] digest = Hashes.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }
}
