package dev.castgate.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.DpopKey;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server nonces (RFC 9449 §8 and §9) with {@code dpop.require_nonce}: a proof without one is
 * answered with a nonce to use, at the token endpoint as a 400 and at a protected resource as a
 * 401 with a DPoP challenge; the answers to proofs that carry one hand out the next; a nonce ages out.
 */
class DpopNonceTest {
    @CastgateServer("CASTGATE_DPOP_REQUIRE_NONCE=true") static TestServer server;

    @Test
    void everyProofMustCarryANonceTheServerGave() {
        TestClient client = server.client().owner(server.createUser()).create();
        DpopKey key = DpopKey.generate();
        String tokenUrl = server.url("/oauth2/token");
        Map<String, String> form = Http.form("grant_type", "client_credentials");

        Http.Response asked = Http.client().postForm(tokenUrl, form, "Authorization", client.basic(), "DPoP",
                key.proof("POST", tokenUrl, server.clock().instant()));
        assertThat(asked.status()).isEqualTo(400);
        assertThat(asked.json()).isEqualTo(Map.of("error", "use_dpop_nonce", "error_description", "the DPoP proof must carry the nonce given"));
        assertThat(asked.headers("WWW-Authenticate")).isEmpty();
        String nonce = asked.header("DPoP-Nonce").orElseThrow();
        assertThat(nonce).matches("[A-Za-z0-9_-]{32}");

        Http.Response issued = Http.client().postForm(tokenUrl, form, "Authorization", client.basic(), "DPoP",
                key.new Proof("POST", tokenUrl, server.clock().instant()).nonce(nonce).sign());
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(issued.json()).containsEntry("token_type", "DPoP");
        assertThat(issued.header("DPoP-Nonce")).isPresent();
        String token = (String) issued.json().get("access_token");

        String api = server.url("/api/users/self");
        Http.Response challenged = Http.client().get(api, "Authorization", "DPoP " + token, "DPoP",
                key.proof("GET", api, server.clock().instant(), token));
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.headers("WWW-Authenticate")).containsExactly("DPoP error=\"use_dpop_nonce\", "
                + "error_description=\"the DPoP proof must carry the nonce given\", algs=\"" + DpopTest.ALGS + "\"");
        String resourceNonce = challenged.header("DPoP-Nonce").orElseThrow();
        Http.Response served = Http.client().get(api, "Authorization", "DPoP " + token, "DPoP",
                key.new Proof("GET", api, server.clock().instant()).accessToken(token).nonce(resourceNonce).sign());
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        assertThat(served.header("DPoP-Nonce")).isPresent();

        // A nonce is good for its minute and the next; after that the client is given a new one.
        server.clock().advance(Duration.ofMinutes(2).plusSeconds(1));
        Http.Response stale = Http.client().get(api, "Authorization", "DPoP " + token, "DPoP",
                key.new Proof("GET", api, server.clock().instant()).accessToken(token).nonce(resourceNonce).sign());
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json()).containsEntry("error", "use_dpop_nonce")
                .containsEntry("error_description", "the DPoP proof's nonce has expired: use the one given");
        assertThat(stale.header("DPoP-Nonce")).hasValueSatisfying(fresh -> assertThat(fresh).isNotEqualTo(resourceNonce));
        Http.Response forged = Http.client().postForm(tokenUrl, form, "Authorization", client.basic(), "DPoP",
                key.new Proof("POST", tokenUrl, server.clock().instant()).nonce("A".repeat(32)).sign());
        assertThat(forged.json()).containsEntry("error", "use_dpop_nonce");
    }
}
