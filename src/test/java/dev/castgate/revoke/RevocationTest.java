package dev.castgate.revoke;

import static dev.castgate.token.TokenRequests.INVALID_REFRESH;
import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token revocation (RFC 7009) at /oauth2/token/revoke and its alias /oauth2/revoke. */
class RevocationTest {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    @CastgateServer static TestServer server;
    static TokenRequests token;
    static TestClient resourceServer;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
        resourceServer = server.client().resourceServer().create();
    }

    @Test
    void revokingAnAccessTokenEndsThatTokenOnly() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("access_token"))));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
        assertThat(introspect(tokens.get("access_token"))).isEqualTo(INACTIVE);
        // The grant lives on: its refresh token still works and its new access token too.
        Map<String, Object> refreshed = refresh(client, tokens.get("refresh_token")).json();
        assertThat(token.userinfo(refreshed.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void revokingARefreshTokenEndsEveryTokenOfItsGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = refresh(client, first.get("refresh_token")).json();
        Map<String, Object> other = token.tokens(client, user, "openid");

        assertRevoked(revoke(client, Http.form("token", (String) second.get("refresh_token"))));

        for (Map<String, Object> issued : List.of(first, second)) {
            assertThat(token.userinfo(issued.get("access_token")).status()).isEqualTo(401);
            assertThat(introspect(issued.get("access_token"))).isEqualTo(INACTIVE);
        }
        assertBadRequest(refresh(client, second.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
        // Another grant of the same user and client is untouched.
        assertThat(token.userinfo(other.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void revokingARotatedRefreshTokenStillEndsItsGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = refresh(client, first.get("refresh_token")).json();

        assertRevoked(revoke(client, Http.form("token", (String) first.get("refresh_token"))));

        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(401);
        assertBadRequest(refresh(client, second.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
    }

    @Test
    void theAliasPathRevokesToo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertRevoked(Http.client().postForm(server.url("/oauth2/revoke"), Http.form("token", (String) tokens.get("refresh_token")),
                "Authorization", client.basic()));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void unknownAndAlreadyRevokedTokensAre200() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertRevoked(revoke(client, Http.form("token", "0".repeat(40))));
        assertRevoked(revoke(client, Http.form("token", "not even a token \u00e9")));
        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("access_token"))));
        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("access_token"))));
        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("refresh_token"))));
        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("refresh_token"))));
    }

    @Test
    void expiredTokensAre200() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");
        server.clock().advance(Duration.ofDays(31));

        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("access_token"))));
        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("refresh_token"))));
    }

    @Test
    void anotherClientsTokensAreLeftAlone() {
        User user = server.createUser();
        TestClient owner = server.client().create();
        TestClient stranger = server.client().create();
        Map<String, Object> tokens = token.tokens(owner, user, "openid");

        assertRevoked(revoke(stranger, Http.form("token", (String) tokens.get("access_token"))));
        assertRevoked(revoke(stranger, Http.form("token", (String) tokens.get("refresh_token"))));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(200);
        assertThat(refresh(owner, tokens.get("refresh_token")).status()).isEqualTo(200);
        assertThat(auditEvents(stranger)).extracting(AuditEvent::outcome)
                .containsExactly(AuditEvent.Outcome.FAILURE, AuditEvent.Outcome.FAILURE);
    }

    @Test
    void aHintOfTheOtherTypeStillFindsTheToken() {
        // RFC 7009 §2.1: the search extends past the hinted type.
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = token.tokens(client, user, "openid");

        assertRevoked(revoke(client, Http.form("token", (String) first.get("refresh_token"), "token_type_hint", "access_token")));
        assertRevoked(revoke(client, Http.form("token", (String) second.get("access_token"), "token_type_hint", "refresh_token")));

        assertThat(token.userinfo(first.get("access_token")).status()).isEqualTo(401);
        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(401);
        assertThat(refresh(client, second.get("refresh_token")).status()).as("only the access token was revoked").isEqualTo(200);
    }

    @Test
    void anUnknownHintIsIgnored() {
        // RFC 7009 §2.1 lets the server ignore the hint; unsupported_token_type is for token types it cannot revoke.
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertRevoked(revoke(client, Http.form("token", (String) tokens.get("access_token"), "token_type_hint", "mac_token")));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void theOriginalsRawSecretBasicWithClientIdInTheBody() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertRevoked(Http.client().postForm(server.url("/oauth2/token/revoke"),
                Http.form("token", (String) tokens.get("refresh_token"), "client_id", client.id()), "Authorization", client.rawBasic()));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void clientSecretPost() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertRevoked(Http.client().postForm(server.url("/oauth2/token/revoke"),
                Http.form("token", (String) tokens.get("access_token"), "client_id", client.id(), "client_secret", client.secret())));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void aNativeClientRevokesItsOwnTokenWithItsClientId() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().redirectUris("http://127.0.0.1/cb").create();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(app, user, Http.form("scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));
        Map<String, Object> tokens = token.post(Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", app.redirectUri(), "client_id", app.id(), "code_verifier", verifier)).json();

        assertRevoked(Http.client().postForm(server.url("/oauth2/token/revoke"),
                Http.form("token", (String) tokens.get("refresh_token"), "client_id", app.id())));

        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void clientAuthenticationFailuresAreInvalidClient() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");
        String accessToken = (String) tokens.get("access_token");

        assertInvalidClient(Http.client().postForm(server.url("/oauth2/token/revoke"), Http.form("token", accessToken)),
                "no client authentication was sent");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/token/revoke"), Http.form("token", accessToken),
                "Authorization", new TestClient(client.id(), "f".repeat(40), null, null).basic()), "client authentication failed");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/token/revoke"),
                Http.form("token", accessToken, "client_id", client.id()), "Authorization", "Basic " + "e".repeat(40)),
                "client authentication failed");
        // A web client must prove itself; naming it is not enough.
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/token/revoke"), Http.form("token", accessToken, "client_id", client.id())),
                "the client must authenticate with its secret");

        assertThat(token.userinfo(accessToken).status()).as("nothing was revoked").isEqualTo(200);
    }

    @Test
    void badRequestsAreInvalidRequest() {
        TestClient client = server.client().create();
        assertBadRequest(revoke(client, Map.of()), "invalid_request", "parameter token is missing");
        assertBadRequest(Http.client().post(server.url("/oauth2/token/revoke"), "application/x-www-form-urlencoded", "token=a&token=b",
                "Authorization", client.basic()), "invalid_request", "parameter token is repeated");
        assertBadRequest(Http.client().post(server.url("/oauth2/token/revoke"), "application/json", "{\"token\":\"a\"}",
                "Authorization", client.basic()), "invalid_request", "the request body must be application/x-www-form-urlencoded");

        Http.Response get = Http.client().get(server.url("/oauth2/token/revoke"), "Authorization", client.basic());
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json()).isEqualTo(Map.of("error", "invalid_request", "error_description", "method GET is not allowed here"));
    }

    @Test
    void revocationIsInTheAuditTrail() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = token.tokens(client, user, "openid");

        revoke(client, Http.form("token", (String) first.get("access_token")));
        revoke(client, Http.form("token", (String) second.get("refresh_token")));
        revoke(client, Http.form("token", (String) second.get("refresh_token")));

        List<AuditEvent> events = auditEvents(client);
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
            assertThat(e.userId()).contains(user.id());
            assertThat(e.address()).contains("127.0.0.1");
        });
        // Both happened at the same instant of the test's clock, so their order in the trail is not asserted.
        assertThat(events).extracting(e -> e.detail().orElseThrow())
                .anySatisfy(d -> assertThat(d).startsWith("access token of grant "))
                .anySatisfy(d -> assertThat(d).startsWith("refresh token; grant ").endsWith(" revoked"));
    }

    private static List<AuditEvent> auditEvents(TestClient client) {
        return server.database().stores().audit().list(Instant.EPOCH, 10_000).stream()
                .filter(e -> e.type() == AuditEvent.Type.TOKEN_REVOKED && e.clientId().equals(java.util.Optional.of(new ClientId(client.id()))))
                .toList();
    }

    private static Http.Response revoke(TestClient client, Map<String, String> form) {
        return Http.client().postForm(server.url("/oauth2/token/revoke"), form, "Authorization", client.basic());
    }

    /** RFC 7009 §2.2: 200 and an empty body. */
    private static void assertRevoked(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    private static Http.Response refresh(TestClient client, Object refreshToken) {
        return token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", (String) refreshToken));
    }

    private static Map<String, Object> introspect(Object accessToken) {
        Http.Response r = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", (String) accessToken),
                "Authorization", resourceServer.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }
}
