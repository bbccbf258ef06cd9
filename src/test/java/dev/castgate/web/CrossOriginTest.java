package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 9700 §2.6: CORS must never be offered at the authorization endpoint, which a client reaches
 * by redirecting the browser, not by a script. Castgate offers CORS nowhere, so no other origin's
 * script can read any of its answers either.
 */
class CrossOriginTest {
    private static final String OTHER_ORIGIN = "https://other.example";

    @CastgateServer static TestServer server;

    @Test
    void theAuthorizationEndpointAllowsNoOtherOrigin() {
        TestClient client = server.client().create();
        Http.Response r = Http.client().get(Urls.withQuery(server.url("/authorize"),
                Map.of("response_type", "code", "client_id", client.id(), "redirect_uri", client.redirectUri())), "Origin", OTHER_ORIGIN);
        assertThat(r.status()).isEqualTo(200);
        assertNoCrossOriginHeaders(r);
    }

    @Test
    void aPreflightIsAnsweredWithoutPermission() {
        for (String path : List.of("/authorize", "/oauth2/token", "/oauth2/userinfo", "/.well-known/openid-configuration")) {
            Http.Response r = Http.client().send(HttpRequest.newBuilder(URI.create(server.url(path)))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                    "Origin", OTHER_ORIGIN, "Access-Control-Request-Method", "POST");
            assertThat(r.status()).as(path).isBetween(400, 499);
            assertNoCrossOriginHeaders(r);
        }
    }

    private static void assertNoCrossOriginHeaders(Http.Response r) {
        assertThat(r.raw().headers().map().keySet())
                .as("no Access-Control-* header")
                .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
    }
}
