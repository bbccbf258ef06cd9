package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a route declares it answers decides its cache headers and how a failure there is shown. */
class RouteAnswersTest {
    @CastgateServer static TestServer server;

    @Test
    void answersWithTokensAreNeverStored() {
        TestClient client = server.client().grants(GrantType.DEVICE_CODE).create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("scope", "broadcaster"),
                "Authorization", client.basic());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers("Cache-Control")).containsExactly("no-store");
        assertThat(r.headers("Pragma")).containsExactly("no-cache");
    }

    @Test
    void publicDocumentsMayBeKept() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oauth2/jwks")) {
            Http.Response r = Http.client().get(server.url(path));
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.headers("Cache-Control")).as(path).containsExactly("public, max-age=300");
            assertThat(r.headers("Pragma")).as(path).isEmpty();
        }
    }

    @Test
    void unknownPathsAmongThePeoplesPagesAnswerWithAPage() {
        for (String path : List.of("/", "/account/nothing", "/device/nothing")) {
            Http.Response r = Http.client().get(server.url(path));
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Content-Type")).as(path).hasValue("text/html;charset=utf-8");
            assertThat(r.headers("Cache-Control")).as(path).containsExactly("no-store");
        }
    }

    @Test
    void aFaultBehindAPageIsAPageAndBehindAnEndpointJson(@CastgateServer TestServer broken) {
        TestClient client = broken.client().create();
        broken.database().close();
        // The session cookie makes the account page look the session up in the database.
        Http.Response page = Http.client().get(broken.url("/account"), "Cookie", "castgate_session=" + "a".repeat(43));
        assertThat(page.status()).isEqualTo(500);
        assertThat(page.header("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.body()).doesNotContain("Exception");

        Http.Response endpoint = Http.client().postForm(broken.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", client.basic());
        assertThat(endpoint.status()).isEqualTo(500);
        assertThat(endpoint.json()).isEqualTo(Map.of("error", "server_error", "error_description", "the server could not finish the request"));
        assertThat(endpoint.headers("Cache-Control")).containsExactly("no-store");
    }
}
