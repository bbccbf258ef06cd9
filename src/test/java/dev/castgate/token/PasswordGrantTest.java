package dev.castgate.token;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The password grant (RFC 6749 §4.3), for clients registered for it only, checked by the sign-in
 * page's own throttled and audited credential check.
 */
class PasswordGrantTest {
    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    private static Map<String, String> password(User user, String... extra) {
        Map<String, String> form = Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD);
        form.putAll(Http.form(extra));
        return form;
    }

    @Test
    void aFlaggedClientGetsTokensForTheUser() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Http.Response response = token.post(client, password(user, "scope", "broadcaster"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope");
        assertThat((String) body.get("access_token")).matches("[0-9a-f]{40}");
        assertThat((String) body.get("refresh_token")).matches("[0-9a-f]{40}");
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400).containsEntry("scope", "broadcaster");

        // The refresh token works like any other and rotates.
        Http.Response refreshed = token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", (String) body.get("refresh_token")));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json().get("refresh_token")).isNotEqualTo(body.get("refresh_token"));
    }

    @Test
    void theEmailWorksAsTheUsername() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Http.Response response = token.post(client, Http.form("grant_type", "password", "username", user.email(), "password", TestServer.PASSWORD));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void openidAddsAnIdTokenForThePerson() throws Exception {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Map<String, Object> body = token.post(client, password(user, "scope", "openid email")).json();
        SignedJWT idToken = SignedJWT.parse((String) body.get("id_token"));
        assertThat(idToken.getJWTClaimsSet().getSubject()).isEqualTo(user.id().value());
        assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly(client.id());
        assertThat(idToken.getJWTClaimsSet().getStringClaim("email")).isEqualTo(user.email());
        assertThat(idToken.getJWTClaimsSet().getClaim("at_hash")).isNotNull();
        Http.Response userinfo = token.userinfo(body.get("access_token"));
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.json()).containsEntry("sub", user.id().value());
    }

    @Test
    void withoutTheRefreshGrantNoRefreshTokenIsIssued() {
        User user = server.createUser();
        TestClient client = server.client().grants(GrantType.PASSWORD).create();
        Map<String, Object> body = token.post(client, password(user)).json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in");
    }

    @Test
    void offIsTheDefaultAndIsRefused() {
        User user = server.createUser();
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, password(user)), "unauthorized_client", "the client is not allowed to use the password grant");
    }

    @Test
    void wrongCredentialsAreInvalidGrantAndAudited() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Instant before = server.clock().instant();
        assertBadRequest(token.post(client, Http.form("grant_type", "password", "username", user.username(), "password", "not the password")),
                "invalid_grant", "the username or password is wrong");
        assertBadRequest(token.post(client, Http.form("grant_type", "password", "username", "nobody-" + user.username(), "password", "x")),
                "invalid_grant", "the username or password is wrong");
        List<AuditEvent> failures = server.database().stores().audit().list(before, 1000).stream()
                .filter(e -> e.type() == AuditEvent.Type.LOGIN && e.outcome() == AuditEvent.Outcome.FAILURE).toList();
        assertThat(failures).anySatisfy(e -> {
            assertThat(e.userId()).contains(user.id());
            assertThat(e.detail()).contains("wrong password");
        });
        assertThat(failures).anySatisfy(e -> assertThat(e.detail()).contains("unknown account"));
    }

    @Test
    void missingCredentialsAreInvalidRequest() {
        TestClient client = server.client().allowPassword().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "password", "username", "someone")),
                "invalid_request", "parameter password is missing");
        assertBadRequest(token.post(client, Http.form("grant_type", "password", "password", "x")),
                "invalid_request", "parameter username is missing");
    }

    @Test
    void scopesAreCheckedByTheScopePolicyAndOfflineIsIgnored() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().scope("broadcaster").create();
        assertBadRequest(token.post(client, password(user, "scope", "email")),
                "invalid_scope", "the client is not allowed the scope: email");
        assertBadRequest(token.post(client, password(user, "scope", "rocket")), "invalid_scope", "unknown scope: rocket");
        assertThat(token.post(client, password(user, "scope", "offline broadcaster")).json()).containsEntry("scope", "broadcaster");
    }

    @Test
    void theDeviceNameNamesTheGrantOnTheAccountPage() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        assertThat(token.post(client, password(user, "device_name", "Living room encoder")).status()).isEqualTo(200);
        List<ConnectedApp> apps = server.database().stores().grants().listLive(user.id(), server.clock().instant());
        assertThat(apps).singleElement().satisfies(app -> {
            assertThat(app.clientId()).isEqualTo(new ClientId(client.id()));
            assertThat(app.deviceName()).contains("Living room encoder");
        });
        assertBadRequest(token.post(client, password(user, "device_name", "x".repeat(201))),
                "invalid_request", "device_name must be at most 200 printable characters");
    }

    @Test
    void guessesShareTheSignInPagesThrottle() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        for (int i = 0; i < 5; i++) {
            assertBadRequest(token.post(client, Http.form("grant_type", "password", "username", user.username(), "password", "guess" + i)),
                    "invalid_grant", "the username or password is wrong");
        }
        // The right password is refused too, with the reason, here and on the sign-in page.
        assertBadRequest(token.post(client, password(user)), "invalid_grant",
                "too many failed sign-ins for this account or from this address; try again in 15 minutes");
        BrowserFlow browser = new BrowserFlow(server);
        TestClient web = server.client().create();
        Http.Response login = browser.open(Http.form("client_id", web.id(), "redirect_uri", web.redirectUri(), "response_type", "code"));
        assertThat(browser.signIn(login, user.username(), TestServer.PASSWORD).status()).isEqualTo(429);
        assertThat(server.database().stores().audit().list(server.clock().instant().minusSeconds(1), 1000))
                .anySatisfy(e -> assertThat(e.type()).isEqualTo(AuditEvent.Type.LOGIN_THROTTLED));

        server.clock().advance(Duration.ofMinutes(16));
        assertThat(token.post(client, password(user)).status()).isEqualTo(200);
    }

    @Test
    void signInPageFailuresCountHereToo() {
        User user = server.createUser();
        TestClient web = server.client().create();
        for (int i = 0; i < 5; i++) {
            BrowserFlow browser = new BrowserFlow(server);
            Http.Response login = browser.open(Http.form("client_id", web.id(), "redirect_uri", web.redirectUri(), "response_type", "code"));
            assertThat(browser.signIn(login, user.username(), "wrong" + i).status()).isEqualTo(401);
        }
        TestClient client = server.client().allowPassword().create();
        assertThat(token.post(client, password(user)).json()).containsEntry("error", "invalid_grant");
        server.clock().advance(Duration.ofMinutes(16));
    }

    @Test
    void aNativeClientCannotBeRegisteredForIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.client().nativeApp().redirectUris("com.example.app:/cb")
                        .grants(GrantType.AUTHORIZATION_CODE, GrantType.PASSWORD).create())
                .hasMessageContaining("cannot use the password grant");
    }
}
