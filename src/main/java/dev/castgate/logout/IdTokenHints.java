package dev.castgate.logout;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.UserId;
import dev.castgate.error.PageException;
import dev.castgate.keys.SigningKeys;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * Reads an {@code id_token_hint} (RP-Initiated Logout 1.0 §2): an ID token this server signed with
 * a key it still publishes, for this issuer. Its expiry does not matter (§2: the OP need not care
 * whether it has expired; a person often signs out long after it was issued). Anything else is
 * refused with a page: the hint is the client's, and a client that sends a bad one gets no
 * redirect.
 */
record IdTokenHints(String issuer, SigningKeys keys) {
    /** What the hint says: whom it was issued about, to which clients, in which session. */
    record Hint(UserId subject, List<String> audience, Optional<String> sid) {}

    Hint verify(String raw) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(raw);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid();
        }
        // An ID token is typed JWT (or not typed); a logout or access token is not a hint.
        JOSEObjectType type = jwt.getHeader().getType();
        if (type != null && !JOSEObjectType.JWT.equals(type)) throw invalid();
        String kid = jwt.getHeader().getKeyID();
        JWK key = kid == null ? null : keys.publishedKey(kid).orElse(null);
        if (key == null || !verified(jwt, key)) throw invalid();
        if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getAudience() == null || claims.getAudience().isEmpty()) {
            throw invalid();
        }
        Object sid = claims.getClaim("sid");
        return new Hint(new UserId(claims.getSubject()), claims.getAudience(), sid instanceof String s ? Optional.of(s) : Optional.empty());
    }

    private static boolean verified(SignedJWT jwt, JWK key) {
        try {
            JWSVerifier verifier = switch (key) {
                case RSAKey rsa when jwt.getHeader().getAlgorithm().getName().startsWith("RS") -> new RSASSAVerifier(rsa);
                case ECKey ec when jwt.getHeader().getAlgorithm().getName().startsWith("ES") -> new ECDSAVerifier(ec);
                default -> null;
            };
            return verifier != null && jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    static PageException invalid() {
        return new PageException(400, "logout.error.title", "logout.error.hint");
    }
}
