package dev.castgate.admin;

import static dev.castgate.api.ApiCalls.INVALID;
import static dev.castgate.api.ApiCalls.assertInvalidToken;
import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.api.ApiCalls;
import dev.castgate.api.TokenVerifier;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Authentication;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.Scope;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.store.GuardedWrite;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Tool.Run;
import dev.castgate.token.TokenRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castgate user disable} and {@code enable} over HTTP: a disabled account cannot sign in
 * (answered as a wrong password), its sessions end, and its tokens stop at every endpoint, the
 * Streaming API after its 5-second cache; enabling lets it sign in again and brings no revoked
 * grant back.
 */
class DisabledAccountTest {
    private static final String NL = System.lineSeparator();
    private static final String WRONG = "The username or password is not correct.";

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static TokenRequests token;
    static ApiCalls api;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        token = new TokenRequests(server);
        api = new ApiCalls(server);
    }

    private static Run disable(User user) {
        Run run = tool.run("user", "disable", user.username());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run;
    }

    /**
     * The user's events of one kind, in the order each writer recorded them. The tool stamps
     * them with the real time and the server with its test clock, so only one writer's events
     * are in order among themselves.
     */
    private static List<AuditEvent> events(User user, AuditEvent.Type type) {
        return server.database().stores().audit().list(Instant.EPOCH, 100_000).stream()
                .filter(e -> e.type() == type && e.userId().filter(user.id()::equals).isPresent()).toList();
    }

    private static Http.Response introspect(TestClient caller, String presented) {
        return Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", presented), "Authorization", caller.basic());
    }

    /** The sign-in form of /authorize, posted with the user's correct password. */
    private static Http.Response signInAtAuthorize(TestClient client, String login, String password) {
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response page = flow.open(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "s"));
        return flow.signIn(page, login, password);
    }

    private static Http.Response signInAtAccount(String login, String password) {
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/account"));
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("username", login);
        form.put("password", password);
        return browser.postForm(server.url("/account/login"), form);
    }

    @Test
    void aDisabledAccountCannotSignInAndIsAnsweredAsAWrongPassword() {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        assertThat(disable(user).out()).isEqualTo("disabled " + user.username() + ": revoked 0 grants, ended 0 sessions" + NL);

        // The sign-in form (of /authorize, /account and /device alike) says what it says to a wrong password.
        Http.Response right = signInAtAuthorize(client, user.username(), TestServer.PASSWORD);
        Http.Response wrong = signInAtAuthorize(client, user.username(), "not the password");
        assertThat(right.status()).isEqualTo(401).isEqualTo(wrong.status());
        assertThat(right.body()).contains(WRONG);
        assertThat(wrong.body()).contains(WRONG);
        assertThat(right.headers("Set-Cookie")).noneMatch(c -> c.startsWith("castgate_session="));
        Http.Response account = signInAtAccount(user.email(), TestServer.PASSWORD);
        assertThat(account.status()).isEqualTo(401);
        assertThat(account.body()).contains(WRONG);

        // The password grant likewise.
        assertBadRequest(token.post(client, Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD)),
                "invalid_grant", "the username or password is wrong");

        // The trail tells the operator why.
        assertThat(events(user, AuditEvent.Type.LOGIN)).extracting(e -> e.outcome() + " " + e.detail().orElse(""))
                .containsExactly("FAILURE account disabled", "FAILURE wrong password", "FAILURE account disabled", "FAILURE account disabled");
        assertThat(events(user, AuditEvent.Type.USER_DISABLED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("revoked 0 grants, ended 0 sessions"));
    }

    @Test
    void disablingEndsTheSessionsAndEveryTokenAtEveryEndpoint() {
        User user = server.createUser();
        TestClient app = server.client().create();
        TestClient resourceServer = server.client().resourceServer().create();
        TestClient owned = api.clientOf(user);
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);

        Map<String, Object> opaque = token.tokens(app, user, "openid email");
        Map<String, Object> jwt = token.post(app, Http.form("grant_type", "authorization_code", "code", token.code(app, user, "openid"),
                "redirect_uri", app.redirectUri(), "token_type", "jwt")).json();
        String accessToken = (String) opaque.get("access_token");
        String jwtToken = (String) jwt.get("access_token");
        assertThat(jwtToken.split("\\.")).hasSize(3);
        String clientToken = api.token(owned, "", false);
        for (String t : List.of(accessToken, jwtToken, clientToken)) {
            assertThat(api.get("/users/self", t).status()).isEqualTo(200); // now in the API's token cache
        }
        assertThat(token.userinfo(accessToken).status()).isEqualTo(200);

        // Grants: the code flow's two and the client-credentials token's. Sessions: the account page's and the code flows' browsers.
        assertThat(disable(user).out()).isEqualTo("disabled " + user.username() + ": revoked 3 grants, ended 3 sessions" + NL);
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM grants WHERE user_id = ? AND revoked_at IS NULL", user.id().value())).isZero();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", user.id().value())).isZero();

        // The browser's session is over.
        assertThat(browser.get(server.url("/account")).body()).contains("action=\"/account/login\"");
        // The OAuth endpoints refuse at once: userinfo, introspection, refresh, new client-credentials tokens.
        for (String t : List.of(accessToken, jwtToken)) {
            assertThat(token.userinfo(t).status()).isEqualTo(401);
            assertThat(introspect(resourceServer, t).json()).isEqualTo(Map.of("active", false));
        }
        assertThat(introspect(resourceServer, clientToken).json()).isEqualTo(Map.of("active", false));
        assertThat(introspect(app, (String) opaque.get("refresh_token")).json()).isEqualTo(Map.of("active", false));
        assertBadRequest(Accounts.refresh(server, app, (String) opaque.get("refresh_token")), "invalid_grant", TokenRequests.INVALID_REFRESH);
        assertBadRequest(Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", owned.basic()), "unauthorized_client", "the account this client acts for is disabled");

        // The Streaming API: on PostgreSQL at once (the database announces the disabling and the
        // cache forgets); on SQLite within its documented delay, cached for 5 seconds from the first call.
        assertThat(TokenVerifier.CACHE_TTL).isEqualTo(Duration.ofSeconds(5));
        if (TestDatabase.postgres()) {
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> api.get("/users/self", accessToken).status() == 401);
        } else {
            server.clock().advance(Duration.ofMillis(4_900));
            assertThat(api.get("/users/self", accessToken).status()).isEqualTo(200);
            server.clock().advance(Duration.ofMillis(100));
        }
        for (String t : List.of(accessToken, jwtToken, clientToken)) assertInvalidToken(api.get("/users/self", t), INVALID);
    }

    @Test
    void theAccountsMarkAloneRefusesWhatARequestCheckedJustBeforeTheDisablingLeft() {
        // A sign-in or token request checked just before the disabling may commit a session, a
        // grant and tokens after its sweep; the mark itself refuses them.
        User user = server.createUser();
        TestClient app = server.client().create();
        TestClient owned = api.clientOf(user);
        Map<String, Object> tokens = token.tokens(app, user, "openid");
        String accessToken = (String) tokens.get("access_token");
        String sessionValue = "raced-session-" + user.id().value();
        Instant now = server.clock().instant();

        assertThat(server.database().stores().users().disable(user.id(), now)).isTrue(); // the mark, without the sweep
        server.database().stores().sessions().insert(new Session(Hashes.tokenHash(sessionValue), user.id(), now, now.plus(Duration.ofHours(1)),
                Authentication.PASSWORD, java.util.Optional.empty()), now);

        assertThat(token.userinfo(accessToken).status()).isEqualTo(401);
        assertInvalidToken(api.get("/users/self", accessToken), INVALID);
        assertBadRequest(Accounts.refresh(server, app, (String) tokens.get("refresh_token")), "invalid_grant", "the grant was revoked");
        assertThat(Http.client().get(server.url("/account"), "Cookie", "castgate_session=" + sessionValue).body())
                .contains("action=\"/account/login\"");
        assertThat(server.database().stores().grants().insert(new Grant(new GrantId("raced-grant-" + user.id().value().substring(0, 20)),
                Optional.of(user.id()), new dev.castgate.domain.ClientId(app.id()), Scope.EMPTY, Optional.empty(), now, now, Optional.empty())))
                .isEqualTo(GuardedWrite.ACCOUNT_DISABLED);
        assertBadRequest(Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", owned.basic()), "unauthorized_client", "the account this client acts for is disabled");
    }

    @Test
    void enablingLetsTheAccountSignInAgainButBringsNoRevokedGrantBack() {
        User user = server.createUser();
        TestClient app = server.client().allowPassword().create();
        Map<String, Object> tokens = token.tokens(app, user, "openid");
        disable(user);

        Run again = tool.run("user", "disable", user.email());
        assertThat(again.exit()).isZero();
        User disabled = server.database().stores().users().find(user.id()).orElseThrow();
        assertThat(again.out()).isEqualTo(user.username() + " was disabled already (since " + disabled.disabledAt().orElseThrow()
                + "); revoked 0 grants, ended 0 sessions" + NL);
        assertThat(tool.run("user", "show", user.username()).out()).contains("disabled:         yes, since " + disabled.disabledAt().orElseThrow());

        Run enabled = tool.run("user", "enable", user.username());
        assertThat(enabled.exit()).as(enabled.err()).isZero();
        assertThat(enabled.out()).isEqualTo("enabled " + user.username() + NL);
        assertThat(tool.run("user", "enable", user.username()).out()).isEqualTo(user.username() + " was not disabled" + NL);

        assertThat(token.post(app, Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD))
                .status()).isEqualTo(200);
        Http.Response signedIn = signInAtAuthorize(app, user.username(), TestServer.PASSWORD); // the consent is remembered
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.locationParams()).containsKey("code");
        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
        assertBadRequest(Accounts.refresh(server, app, (String) tokens.get("refresh_token")), "invalid_grant", TokenRequests.INVALID_REFRESH);

        assertThat(events(user, AuditEvent.Type.USER_DISABLED)).extracting(e -> e.detail().orElse("")).containsExactly(
                "revoked 1 grant, ended 1 session", "revoked 0 grants, ended 0 sessions; was disabled already");
        assertThat(events(user, AuditEvent.Type.USER_ENABLED)).hasSize(1); // the second enable changed nothing
    }

    @Test
    void aDisabledOwnersChannelsDoNotGoLiveUntilEnabled() {
        User user = server.createUser();
        String broadcasterToken = api.token(api.clientOf(user), "broadcaster", false);
        Map<String, Object> ingest = api.ingest(api.createChannel(broadcasterToken, "Live"), broadcasterToken);
        String name = (String) ingest.get("stream_name");
        String channelKey = (String) ingest.get("channel_key");
        assertThat(api.onPublish("name", name, "key", channelKey).status()).isEqualTo(200);

        disable(user);
        Http.Response refused = api.onPublish("name", name, "key", channelKey);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json()).isEqualTo(Map.of("error", "access_denied", "error_description", "the publish is not allowed"));

        assertThat(tool.run("user", "enable", user.username()).exit()).isZero();
        assertThat(api.onPublish("name", name, "key", channelKey).status()).isEqualTo(200);
    }

    @Test
    void anApprovedDeviceGetsNoTokensOnceItsPersonIsDisabled() {
        User user = server.createUser();
        TestClient device = server.client().grants(dev.castgate.domain.GrantType.DEVICE_CODE).create();
        Http.Response started = Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("scope", "openid"),
                "Authorization", device.basic());
        String deviceCode = (String) started.json().get("device_code");
        String userCode = (String) started.json().get("user_code");
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Map<String, String> entry = HtmlForms.hiddenFields(browser.get(server.url("/device")).body());
        entry.put("user_code", userCode);
        Http.Response confirm = browser.postForm(server.url("/device"), entry);
        assertThat(confirm.body()).contains("name=\"interaction\" value=\"decide\"");
        Map<String, String> decide = HtmlForms.hiddenFields(confirm.body());
        decide.put("decision", "allow");
        assertThat(browser.postForm(server.url("/device"), decide).status()).isEqualTo(200);

        assertThat(disable(user).out()).isEqualTo("disabled " + user.username() + ": revoked 1 grant, ended 1 session" + NL);
        assertBadRequest(token.post(device, Http.form("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", deviceCode)),
                "invalid_grant", "the device code is invalid, was already used or was issued to another client");
    }
}
