package dev.castgate.clientauth;

import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.admin.ClientRegistrations.Authentication;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code client_assertions.token_endpoint_audience}: for clients written to RFC 7523 §3 and OpenID
 * Connect Core §9, the token endpoint's URL is taken as a client assertion's audience besides the
 * issuer; other endpoints' URLs and several audiences are still refused.
 */
class TokenEndpointAudienceTest {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Test
    void theTokenEndpointUrlIsAnAudienceWhenTurnedOn(@CastgateServer("CASTGATE_CLIENT_ASSERTIONS_TOKEN_ENDPOINT_AUDIENCE=true") TestServer server)
            throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        TestClient client = server.client().authentication(new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT,
                Optional.of(new JWKSet(key.toPublicJWK()).toString()), Optional.empty())).create();

        for (String audience : new String[] {server.issuer(), server.issuer() + "/oauth2/token"}) {
            Http.Response issued = token(server, assertion(server, client, key, audience));
            assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        }
        assertInvalidClient(token(server, assertion(server, client, key, server.issuer() + "/oauth2/introspect")),
                "the client assertion was refused: its aud must be the issuer identifier " + server.issuer()
                        + " or the token endpoint's URL, alone");
    }

    private static String assertion(TestServer server, TestClient client, ECKey key, String audience) throws Exception {
        Instant now = server.clock().instant();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder()
                .issuer(client.id()).subject(client.id()).audience(audience).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120))).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static Http.Response token(TestServer server, String assertion) {
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion));
    }
}
