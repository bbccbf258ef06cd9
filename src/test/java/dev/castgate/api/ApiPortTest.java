package dev.castgate.api;

import static dev.castgate.api.ApiCalls.assertInvalidToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.DpopKey;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With api.port set, the Streaming API listens on its own port and only there. */
class ApiPortTest {
    @Test
    void theApiHasItsOwnListener() {
        int apiPort = TestServer.freePort();
        try (TestServer server = TestServer.start(Map.of("CASTGATE_API_PORT", Integer.toString(apiPort)))) {
            assertThat(server.apiPort()).isEqualTo(apiPort);
            String apiBase = "http://127.0.0.1:" + apiPort + "/api";
            ApiCalls api = new ApiCalls(server);
            User user = server.createUser();
            String token = api.token(api.clientOf(user), "broadcaster", false); // the token endpoint stays on the main port

            Http.Response self = Http.client().get(apiBase + "/users/self.json", "Authorization", "Bearer " + token);
            assertThat(self.status()).as(self.body()).isEqualTo(200);
            assertThat(self.json()).containsEntry("id", user.id().value());
            assertThat(self.header("X-RateLimit-Limit")).isPresent();
            assertInvalidToken(Http.client().get(apiBase + "/users/self"), ApiCalls.NO_TOKEN);

            Http.Response created = Http.client().postForm(apiBase + "/users/self/channels", Http.form("title", "Own port"),
                    "Authorization", "Bearer " + token);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            @SuppressWarnings("unchecked")
            Map<String, Object> channel = (Map<String, Object>) created.json().get("channel");
            assertThat(channel.get("url")).isEqualTo(apiBase + "/channels/" + channel.get("id"));

            Http.Response doc = Http.client().get(apiBase + "/openapi.json");
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.json().get("servers")).isEqualTo(List.of(Map.of("url", apiBase)));

            // A DPoP proof names the URL the client sends to: the API's own port (RFC 9449 §4.3 check 9).
            DpopKey key = DpopKey.generate();
            Http.Response bound = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                    "Authorization", api.clientOf(user).basic(), "DPoP", key.proof("POST", server.url("/oauth2/token"), server.clock().instant()));
            String boundToken = (String) bound.json().get("access_token");
            Http.Response proven = Http.client().get(apiBase + "/users/self", "Authorization", "DPoP " + boundToken,
                    "DPoP", key.proof("GET", apiBase + "/users/self", server.clock().instant(), boundToken));
            assertThat(proven.status()).as(proven.body()).isEqualTo(200);
            Http.Response mainPortProof = Http.client().get(apiBase + "/users/self", "Authorization", "DPoP " + boundToken,
                    "DPoP", key.proof("GET", server.url("/api/users/self"), server.clock().instant(), boundToken));
            assertThat(mainPortProof.json()).containsEntry("error_description", "the DPoP proof's htu is not this request's URI");

            // Not on the main port; and the OAuth endpoints are not on the API's.
            Http.Response main = api.get("/users/self", token);
            assertThat(main.status()).isEqualTo(404);
            assertThat(Http.client().get("http://127.0.0.1:" + apiPort + "/.well-known/openid-configuration").status()).isEqualTo(404);
            assertThat(Http.client().get(server.url("/.well-known/openid-configuration")).status()).isEqualTo(200);
        }
    }
}
