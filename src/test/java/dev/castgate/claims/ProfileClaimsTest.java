package dev.castgate.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The profile scope's claims (OIDC Core §5.4): name, preferred_username and updated_at, from
 * userinfo; updated_at moves when the person changes their profile. An account has no picture and
 * no language of its own, so picture and locale never appear; with response_type=code the profile
 * claims stay out of the ID token.
 */
class ProfileClaimsTest {
    private static final String STATE = "pr";

    @CastgateServer static TestServer server;

    private static Map<String, Object> tokens(TestClient client, User user, String scope) {
        return ClaimsCalls.tokens(server, client, user.username(), Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", scope, "state", STATE), STATE);
    }

    private static Map<String, Object> userinfo(Map<String, Object> tokens) { return ClaimsCalls.userinfo(server, tokens); }

    @Test
    void theProfileScopeReleasesNameUsernameAndUpdateTimeFromUserinfo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = tokens(client, user, "openid profile");
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value(), "name", user.name().orElseThrow(),
                "preferred_username", user.username(), "updated_at", (int) user.createdAt().getEpochSecond()));
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).doesNotContainKeys("name", "preferred_username", "updated_at",
                "picture", "locale");
    }

    @Test
    void updatedAtIsWhenThePersonLastChangedTheirProfile() {
        User user = server.createUser();
        TestClient client = server.client().create();
        server.clock().advance(Duration.ofHours(5));
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Http.Response saved = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(account), "name", "Ada Lovelace", "email", user.email()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        long changedAt = server.clock().instant().getEpochSecond();

        Map<String, Object> tokens = tokens(client, user, "openid profile email");
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value(), "name", "Ada Lovelace",
                "preferred_username", user.username(), "updated_at", (int) changedAt, "email", user.email(), "email_verified", true));
        assertThat(changedAt).isGreaterThan(user.createdAt().getEpochSecond());
    }
}
