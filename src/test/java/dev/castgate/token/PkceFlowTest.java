package dev.castgate.token;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PKCE over HTTP (RFC 7636 §4.5, §4.6), and the downgrade check of RFC 9700 §4.8.2. */
class PkceFlowTest {
    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    @Test
    void nativeClientWithS256GetsTokens() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String verifier = TokenRequests.newVerifier();
        String code = nativeCode(app, user, verifier);

        Http.Response response = exchange(app, code, verifier);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token");
        assertThat(body).containsEntry("scope", "openid").containsEntry("token_type", "bearer");
        assertThat(token.userinfo(body.get("access_token")).json()).isEqualTo(Map.of("sub", user.id().value()));
    }

    @Test
    void verifiersOfEveryAllowedCharacterAndBothLengthLimitsWork() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        for (String verifier : new String[] {unreserved.substring(0, 43), (unreserved + unreserved).substring(0, 128)}) {
            Http.Response response = exchange(app, nativeCode(app, user, verifier), verifier);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }
    }

    @Test
    void webClientMayUsePkceToo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(client, user, Http.form("scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));
        Http.Response response = token.post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri(), "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void missingVerifier() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String code = nativeCode(app, user, TokenRequests.newVerifier());
        assertBadRequest(token.post(Http.form("grant_type", "authorization_code", "client_id", app.id(), "code", code,
                "redirect_uri", app.redirectUri())), "invalid_grant", "code_verifier is required");
    }

    @Test
    void wrongVerifier() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String code = nativeCode(app, user, TokenRequests.newVerifier());
        assertBadRequest(exchange(app, code, TokenRequests.newVerifier()),
                "invalid_grant", "code_verifier does not match the code_challenge");
    }

    @Test
    void challengeSentAsVerifierIsWrong() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String verifier = TokenRequests.newVerifier();
        String code = nativeCode(app, user, verifier);
        assertBadRequest(exchange(app, code, TokenRequests.s256(verifier)),
                "invalid_grant", "code_verifier does not match the code_challenge");
    }

    @Test
    void tooShortVerifier() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String verifier = TokenRequests.newVerifier();
        String code = nativeCode(app, user, verifier);
        assertBadRequest(exchange(app, code, verifier.substring(0, 42)),
                "invalid_request", "code_verifier must be 43 to 128 unreserved characters");
    }

    @Test
    void tooLongVerifier() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String code = nativeCode(app, user, TokenRequests.newVerifier());
        assertBadRequest(exchange(app, code, "a".repeat(129)),
                "invalid_request", "code_verifier must be 43 to 128 unreserved characters");
    }

    @Test
    void verifierWithCharactersOutsideTheUnreservedSet() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String code = nativeCode(app, user, TokenRequests.newVerifier());
        assertBadRequest(exchange(app, code, "a".repeat(42) + "+"),
                "invalid_request", "code_verifier must be 43 to 128 unreserved characters");
    }

    @Test
    void verifierWithoutAChallengeIsADowngrade() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "code", code,
                        "redirect_uri", client.redirectUri(), "code_verifier", TokenRequests.newVerifier())),
                "invalid_grant", "code_verifier was sent but the authorization request had no code_challenge");
    }

    private String nativeCode(TestClient app, User user, String verifier) {
        return token.code(app, user, Http.form("scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));
    }

    private Http.Response exchange(TestClient app, String code, String verifier) {
        return token.post(Http.form("grant_type", "authorization_code", "client_id", app.id(), "code", code,
                "redirect_uri", app.redirectUri(), "code_verifier", verifier));
    }
}
