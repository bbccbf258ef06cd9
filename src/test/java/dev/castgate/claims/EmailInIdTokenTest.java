package dev.castgate.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * email and email_verified in the ID token with the email scope, as the original service's SDKs
 * read them, unless the client is registered to leave them to userinfo (OIDC Core §5.4); a
 * claims request naming them for the ID token still gets them there.
 */
class EmailInIdTokenTest {
    private static final String STATE = "em";

    @CastgateServer static TestServer server;

    private static Map<String, Object> tokens(TestClient client, User user, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid email", "state", STATE);
        params.putAll(Http.form(extra));
        return ClaimsCalls.tokens(server, client, user.username(), params, STATE);
    }

    private static Map<String, Object> userinfo(Map<String, Object> tokens) { return ClaimsCalls.userinfo(server, tokens); }

    @Test
    void byDefaultTheIdTokenCarriesTheEmailClaims() {
        User user = server.createUser();
        Map<String, Object> tokens = tokens(server.client().create(), user);
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("email", user.email()).containsEntry("email_verified", true);
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value(), "email", user.email(), "email_verified", true));
    }

    @Test
    void aClientRegisteredSoGetsThemFromUserinfoOnly() {
        User user = server.createUser();
        TestClient client = server.client().noEmailInIdToken().create();
        Map<String, Object> tokens = tokens(client, user);
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).doesNotContainKeys("email", "email_verified")
                .containsEntry("sub", user.id().value());
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value(), "email", user.email(), "email_verified", true));

        // Named for the ID token in a claims request, they come there all the same (OIDC Core §5.5).
        Map<String, Object> asked = tokens(client, user, "claims", "{\"id_token\":{\"email\":null}}");
        assertThat(JwtClaims.of((String) asked.get("id_token"))).containsEntry("email", user.email()).doesNotContainKey("email_verified");
    }
}
