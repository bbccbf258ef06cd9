package dev.castgate.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.TokenVerifier;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** A newcomer in a real Chromium walks the playground from sign-in to revoke. */
class PlaygroundChromiumTest {
    @CastgateServer("CASTGATE_DEMO=true") static TestServer server;
    @HeadlessChromium static Chromium chromium;

    private String shown(String id) { return chromium.driver().findElement(By.id(id)).getText(); }

    @Test
    void fromSignInToRevoke() {
        // The password printed at start is random; seeding again (as a restart would) sets one the test knows.
        String password = PlaygroundTest.resetDemoPassword(server);

        chromium.open(server.url("/playground"));
        assertThat(chromium.title()).isEqualTo("Playground · Castgate");
        chromium.click("Sign in");
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        assertThat(chromium.text()).contains("Castgate playground");
        chromium.type("Username or email", "demo");
        chromium.type("Password", password);
        chromium.click("Sign in");
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        chromium.click("Allow");

        chromium.awaitUrl(u -> u.startsWith(server.url("/playground?")), "the playground");
        assertThat(chromium.currentUrl()).doesNotContain("code=").doesNotContain("token");
        assertThat(shown("result_status")).isEqualTo("200");
        String access = shown("access_token");
        String refresh = shown("refresh_token");
        assertThat(access.split("\\.")).hasSize(3);
        assertThat(shown("access_token_header")).contains("\"alg\"").contains("\"kid\"");
        assertThat(shown("access_token_claims")).contains("\"scope\"").contains("broadcaster").contains("\"sub\"");
        assertThat(shown("id_token_claims")).contains("\"iss\" : \"" + server.issuer() + "\"").contains("\"email\" : \"" + DemoSeed.EMAIL + "\"");

        chromium.click("Call users/self");
        assertThat(shown("result_label")).isEqualTo("GET users/self");
        assertThat(shown("result_status")).isEqualTo("200");
        assertThat(shown("result_body")).contains("\"username\" : \"demo\"");

        chromium.click("Get ingest settings");
        assertThat(shown("result_status")).isEqualTo("200");
        assertThat(shown("result_body")).contains("\"rtmp_url\"").contains("\"streaming_key\"");
        // A second time reuses the demo channel made the first time.
        chromium.click("Get ingest settings");
        assertThat(shown("result_status")).isEqualTo("200");
        assertThat(server.database().stores().channels().findByOwner(
                server.database().stores().users().findByLogin("demo").orElseThrow().id())).hasSize(1);

        chromium.click("Refresh");
        assertThat(shown("result_label")).isEqualTo("Refresh (POST /oauth2/token)");
        assertThat(shown("result_status")).isEqualTo("200");
        assertThat(shown("access_token")).isNotEqualTo(access);
        assertThat(shown("refresh_token")).isNotEqualTo(refresh);

        chromium.click("Call users/self"); // the new token is cached by the API as live
        assertThat(shown("result_status")).isEqualTo("200");

        chromium.click("Revoke");
        assertThat(shown("result_label")).contains("Introspection");
        assertThat(shown("result_status")).isEqualTo("200");
        assertThat(shown("result_body")).contains("\"active\" : false");

        // Past the API's cache of live tokens, the API refuses the revoked token too.
        server.clock().advance(TokenVerifier.CACHE_TTL.plus(Duration.ofSeconds(1)));
        chromium.click("Call users/self");
        assertThat(shown("result_status")).isEqualTo("401");
        assertThat(shown("result_body")).contains("invalid_token");
    }
}
