package dev.castgate.token;

import static dev.castgate.token.TokenRequests.INVALID_REFRESH;
import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authorization codes are single use; a second use revokes what the first issued (RFC 6749 §4.1.2, §10.5). */
class CodeReplayTest {
    private static final String REPLAYED = "the authorization code was already used; its tokens are revoked";

    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    @Test
    void secondUseIsRefusedAndRevokesTheFirstUsesTokens() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, String> exchange = Http.form("grant_type", "authorization_code", "code", token.code(client, user, "openid email"),
                "redirect_uri", client.redirectUri());

        Http.Response first = token.post(client, exchange);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Object accessToken = first.json().get("access_token");
        String refreshToken = (String) first.json().get("refresh_token");
        assertThat(token.userinfo(accessToken).status()).isEqualTo(200);

        assertBadRequest(token.post(client, exchange), "invalid_grant", REPLAYED);

        Http.Response userinfo = token.userinfo(accessToken);
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.json()).isEqualTo(Map.of("error", "invalid_token",
                "error_description", "the access token is invalid, expired or revoked"));
        assertThat(userinfo.header("WWW-Authenticate")).contains(
                "Bearer realm=\"castgate\", error=\"invalid_token\", error_description=\"the access token is invalid, expired or revoked\"");

        assertBadRequest(token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", refreshToken)),
                "invalid_grant", INVALID_REFRESH);
    }

    @Test
    void tokensRefreshedBeforeTheReplayAreRevokedToo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, String> exchange = Http.form("grant_type", "authorization_code", "code", token.code(client, user, "openid"),
                "redirect_uri", client.redirectUri());
        Http.Response first = token.post(client, exchange);
        Http.Response refreshed = token.post(client, Http.form("grant_type", "refresh_token",
                "refresh_token", (String) first.json().get("refresh_token")));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);

        assertBadRequest(token.post(client, exchange), "invalid_grant", REPLAYED);

        assertThat(token.userinfo(refreshed.json().get("access_token")).status()).isEqualTo(401);
        assertBadRequest(token.post(client, Http.form("grant_type", "refresh_token",
                "refresh_token", (String) refreshed.json().get("refresh_token"))), "invalid_grant", INVALID_REFRESH);
    }

    @Test
    void replayAfterTheCodeExpiredStillRevokes() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, String> exchange = Http.form("grant_type", "authorization_code", "code", token.code(client, user, "openid"),
                "redirect_uri", client.redirectUri());
        Object accessToken = token.post(client, exchange).json().get("access_token");
        server.clock().advance(Duration.ofMinutes(5));

        assertBadRequest(token.post(client, exchange), "invalid_grant", REPLAYED);
        assertThat(token.userinfo(accessToken).status()).isEqualTo(401);
    }

    @Test
    void replayByAnotherClientRevokesNothing() {
        User user = server.createUser();
        TestClient client = server.client().create();
        TestClient other = server.client().create();
        Map<String, String> exchange = Http.form("grant_type", "authorization_code", "code", token.code(client, user, "openid"),
                "redirect_uri", client.redirectUri());
        Object accessToken = token.post(client, exchange).json().get("access_token");

        // Another client cannot even learn that the code exists, so it cannot end the real client's grant.
        assertBadRequest(token.post(other, exchange), "invalid_grant",
                "the authorization code is invalid, expired or was issued to another client");
        assertThat(token.userinfo(accessToken).status()).isEqualTo(200);
    }

    @Test
    void otherGrantsOfTheSameUserAndClientSurviveAReplay() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> kept = token.tokens(client, user, "openid");
        Map<String, String> exchange = Http.form("grant_type", "authorization_code", "code", token.code(client, user, "openid"),
                "redirect_uri", client.redirectUri());
        token.post(client, exchange);

        assertBadRequest(token.post(client, exchange), "invalid_grant", REPLAYED);
        assertThat(token.userinfo(kept.get("access_token")).status()).isEqualTo(200);
    }
}
