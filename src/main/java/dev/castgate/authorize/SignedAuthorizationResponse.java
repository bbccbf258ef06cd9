package dev.castgate.authorize;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.castgate.domain.Client;
import dev.castgate.keys.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;

/**
 * The authorization response as one signed JWT (JWT Secured Authorization Response Mode, JARM §2.1):
 * {@code iss}, {@code aud} (the client), {@code exp}, and the response's parameters (the code or
 * token, or the error, and {@code state}) as claims of the same names. Signed with the key and
 * algorithm of the client's ID tokens, which its library already verifies; never encrypted.
 */
public record SignedAuthorizationResponse(String issuer, SigningKeys keys, Clock clock) {
    /** Long enough for a slow browser to bring it to the client, short enough that it is no credential for later (JARM §4.1). */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    String sign(Client client, Map<String, String> params) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(client.id().value())
                .expirationTime(Date.from(clock.instant().plus(LIFETIME)));
        params.forEach(claims::claim);
        return keys.sign(client.idTokenAlgorithm(), JOSEObjectType.JWT, claims.build(), "an authorization response");
    }
}
