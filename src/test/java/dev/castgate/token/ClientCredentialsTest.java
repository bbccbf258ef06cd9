package dev.castgate.token;

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

/** The client credentials grant (RFC 6749 §4.4): a token for the client's owner account, no refresh token, no ID token. */
class ClientCredentialsTest {
    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    @Test
    void broadcasterScopeIsGrantedAndEchoed() {
        TestClient client = server.client().owner(server.createUser()).create();
        Http.Response response = token.post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("Pragma")).contains("no-cache");
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = response.json();
        // RFC 6749 §4.4.3: no refresh token; and no ID token, since no person signed in.
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "scope");
        assertThat((String) body.get("access_token")).matches("[0-9a-f]{40}");
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400).containsEntry("scope", "broadcaster");
    }

    @Test
    void withoutScopeTheBasicTokenIsIssued() {
        TestClient client = server.client().create();
        Map<String, Object> body = issue(client, Http.form("grant_type", "client_credentials"));
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in").containsEntry("expires_in", 86400);
    }

    @Test
    void legacyOfflineScopeIsAcceptedAndIgnored() {
        TestClient client = server.client().create();
        Map<String, Object> body = issue(client, Http.form("grant_type", "client_credentials", "scope", "offline broadcaster"));
        assertThat(body).containsEntry("scope", "broadcaster").doesNotContainKey("refresh_token");
    }

    @Test
    void openIdOfflineAccessIsAcceptedAndIgnored() {
        TestClient client = server.client().create();
        Map<String, Object> body = issue(client, Http.form("grant_type", "client_credentials", "scope", "offline_access broadcaster"));
        assertThat(body).containsEntry("scope", "broadcaster").doesNotContainKey("refresh_token");
    }

    @Test
    void everyRequestGetsANewToken() {
        TestClient client = server.client().create();
        Object first = issue(client, Http.form("grant_type", "client_credentials")).get("access_token");
        Object second = issue(client, Http.form("grant_type", "client_credentials")).get("access_token");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void perClientAccessTokenLifetimeIsHonoured() {
        User owner = server.createUser();
        TestClient client = server.client().owner(owner).accessTokenTtl(Duration.ofMinutes(15)).create();
        Map<String, Object> body = issue(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"));
        assertThat(body).containsEntry("expires_in", 900);

        // The token is live (it reaches userinfo, which refuses it only for lacking openid) until its lifetime ends.
        Http.Response live = token.userinfo(body.get("access_token"));
        assertThat(live.status()).as(live.body()).isEqualTo(403);
        assertThat(live.json()).containsEntry("error", "insufficient_scope");
        server.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
        Http.Response expired = token.userinfo(body.get("access_token"));
        assertThat(expired.status()).as(expired.body()).isEqualTo(401);
        assertThat(expired.json()).containsEntry("error", "invalid_token");
    }

    @Test
    void deviceNameIsAccepted() {
        TestClient client = server.client().create();
        Map<String, Object> body = issue(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster",
                "device_name", "Studio encoder \u2013 rack 2"));
        assertThat(body).containsEntry("scope", "broadcaster");
    }

    @Test
    void overlongDeviceNameIsInvalidRequest() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "device_name", "d".repeat(201))),
                "invalid_request", "device_name must be at most 200 printable characters");
    }

    @Test
    void deviceNameWithControlCharactersIsInvalidRequest() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "device_name", "enc\u0000oder")),
                "invalid_request", "device_name must not contain control characters");
    }

    @Test
    void clientRestrictedToBroadcasterGetsIt() {
        TestClient client = server.client().scope("broadcaster").create();
        assertThat(issue(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"))).containsEntry("scope", "broadcaster");
    }

    private Map<String, Object> issue(TestClient client, Map<String, String> form) {
        Http.Response response = token.post(client, form);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
