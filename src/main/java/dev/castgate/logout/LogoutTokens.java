package dev.castgate.logout;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Client;
import dev.castgate.domain.LogoutDelivery;
import dev.castgate.keys.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Logout tokens (Back-Channel Logout 1.0 §2.4): a JWT typed {@code logout+jwt} (§2.4, as the JWT
 * BCP asks of each kind of JWT, so it cannot pass for an ID token), signed as the client's ID
 * tokens are, with {@code sub} and {@code sid}, the logout event, and never a {@code nonce}.
 */
public record LogoutTokens(String issuer, SigningKeys keys, RandomTokens random, Clock clock) {
    static final JOSEObjectType TYPE = new JOSEObjectType("logout+jwt");
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** Short: the token says something happened now; a client that gets it later should not accept it. */
    static final Duration LIFETIME = Duration.ofMinutes(2);

    /** A fresh token for one attempt of {@code delivery}. */
    String sign(Client client, LogoutDelivery delivery) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(client.id().value())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(random.hex40())
                .subject(delivery.userId().value())
                .claim("events", Map.of(EVENT, Map.of()));
        delivery.sid().ifPresent(sid -> claims.claim("sid", sid));
        return keys.sign(client.idTokenAlgorithm(), TYPE, claims.build(), "a logout token");
    }
}
