package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prefix redirect matching (the legacy per-client flag) compares by whole path segments and
 * refuses every spelling of a path that a server behind the redirect could read as another one
 * (security review §7).
 */
class PrefixRedirectSegmentsTest {
    @CastgateServer static TestServer server;

    private static Http.Response authorize(TestClient client, String redirectUri) {
        return Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", client.id(),
                "redirect_uri", redirectUri, "response_type", "code")));
    }

    @Test
    void pathsThatLeaveTheRegisteredOneAreRefusedWithoutARedirect() {
        TestClient client = server.client().prefixRedirectMatch().redirectUris("https://legacy.example/cb").create();
        for (String bad : List.of(
                "https://legacy.example/cb/..;/evil",
                "https://legacy.example/cb;jsessionid=1/x",
                "https://legacy.example/cb%2f..%2fevil",
                "https://legacy.example/cb/..%5cevil",
                "https://legacy.example/cb/%252e%252e/evil",
                "https://legacy.example/cb/%2E%2e/evil",
                "https://legacy.example/cb/.%2e/evil",
                "https://legacy.example/cb/x/%00",
                "https://legacy.example/cbx",
                "https://legacy.example/cb2/x?y=1",
                "https://legacy.example/cb//evil.example/x",
                "https://user@legacy.example/cb/x",
                "HTTPS://legacy.example/cb/x",
                "https://legacy.example:443/cb/x")) {
            Http.Response page = authorize(client, bad);
            assertThat(page.status()).as(bad).isEqualTo(400);
            assertThat(page.header("Location")).as(bad).isEmpty();
            assertThat(page.body()).as(bad).contains("not registered");
        }
    }

    @Test
    void extensionsByWholeSegmentsAndByTheQueryStillMatch() {
        TestClient client = server.client().prefixRedirectMatch().redirectUris("https://legacy.example/cb").create();
        for (String good : List.of("https://legacy.example/cb", "https://legacy.example/cb/", "https://legacy.example/cb/deeper/x",
                "https://legacy.example/cb?from=app", "https://legacy.example/cb/x?next=y", "https://legacy.example/cb/caf%C3%A9")) {
            Http.Response page = authorize(client, good);
            assertThat(page.status()).as(good).isEqualTo(200);
            assertThat(page.body()).as(good).contains("password");
        }
    }

    @Test
    void aRegisteredQueryIsExtendedOnlyOnItsOwnPath() {
        TestClient client = server.client().prefixRedirectMatch().redirectUris("https://legacy.example/cb?app=1").create();
        assertThat(authorize(client, "https://legacy.example/cb?app=1&more=2").status()).isEqualTo(200);
        assertThat(authorize(client, "https://legacy.example/cb?app=1").status()).isEqualTo(200);
        assertThat(authorize(client, "https://legacy.example/cb?app=12").status()).isEqualTo(400);
        assertThat(authorize(client, "https://legacy.example/cb/x?app=1").status()).isEqualTo(400);
    }
}
