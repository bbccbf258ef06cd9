package dev.castgate.http;

import static dev.castgate.api.ApiCalls.assertInvalidToken;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Streaming API and userinfo read access tokens with one parser, so they agree on the edge
 * case of a Bearer or DPoP header without a value: it is no token, on a route that needs a
 * token, on one where it is optional, and on userinfo.
 */
class BearerHeaderTest {
    @Test
    void aBearerHeaderWithoutAValueIsNotABearerToken(@CastgateServer TestServer server) {
        for (String path : List.of("/api/users/self", "/api/channels/nosuch", "/oauth2/userinfo")) {
            for (String header : List.of("Bearer ", "Bearer", "bearer \t", "DPoP ", "dpop")) {
                assertInvalidToken(Http.client().get(server.url(path), "Authorization", header),
                        "the Authorization header is not a Bearer or DPoP token");
            }
        }
    }
}
