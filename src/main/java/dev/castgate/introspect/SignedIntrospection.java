package dev.castgate.introspect;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.castgate.domain.Client;
import dev.castgate.http.AcceptHeader;
import dev.castgate.keys.SigningKeys;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * The introspection answer as a signed JWT (RFC 9701), for a resource server that must show a
 * third party what the server said, or trust it beyond the TLS connection. The JWT holds the
 * plain answer, unchanged, in {@code token_introspection} (§5), so an inactive token is
 * {@code {"active":false}} there too; beside it only {@code iss}, {@code aud} (the introspecting
 * client) and {@code iat}: top-level {@code sub} or {@code exp} would let a careless reader take the
 * answer for an ID or access token. Signed with the key and algorithm of the caller's ID tokens,
 * which its library already verifies; not encrypted (no JWE is offered).
 */
public record SignedIntrospection(String issuer, SigningKeys keys) {
    /** RFC 9701 §4 and §8.1. */
    static final String MEDIA_TYPE = "application/token-introspection+jwt";
    /** §5: the {@code typ} header, so the JWT cannot pass for any other kind. */
    static final JOSEObjectType TYPE = new JOSEObjectType("token-introspection+jwt");

    /** Whether the request's Accept header asks for the JWT over plain JSON (§4). */
    static boolean asked(Context ctx) {
        return AcceptHeader.prefers(Optional.ofNullable(ctx.header("Accept")), MEDIA_TYPE, "application/json");
    }

    void respond(Context ctx, Client caller, Map<String, Object> answer, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(caller.id().value())
                .issueTime(Date.from(now))
                .claim("token_introspection", answer)
                .build();
        String jwt = keys.sign(caller.idTokenAlgorithm(), TYPE, claims, "an introspection response");
        ctx.status(200).contentType(MEDIA_TYPE).result(jwt);
    }
}
