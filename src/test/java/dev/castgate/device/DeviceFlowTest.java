package dev.castgate.device;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant over HTTP (RFC 8628): the device authorization endpoint and its
 * errors, every polling answer, the /device page with its code normalisation, sign-in, CSRF and
 * languages, housekeeping and discovery.
 */
class DeviceFlowTest {
    private static final String USER_CODE = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";
    @CastgateServer static TestServer server;
    static DeviceRequests device;

    @BeforeAll
    static void setUp() {
        device = new DeviceRequests(server);
    }

    private static TestClient deviceClient() {
        return server.client().grants(GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN).create();
    }

    /** A browser signed in as a new user. */
    private static Http signedIn(User user) {
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        return browser;
    }

    private static void wait(int seconds) { server.clock().advance(Duration.ofSeconds(seconds)); }

    @Test
    void theDeviceAuthorizationResponseHasEveryField() {
        TestClient client = deviceClient();
        Http.Response response = device.authorize(client, Http.form("scope", "openid broadcaster", "device_name", "Living room TV"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("device_code", "user_code", "verification_uri", "verification_uri_complete",
                "expires_in", "interval");
        assertThat((String) body.get("device_code")).matches("[0-9a-f]{40}");
        String userCode = (String) body.get("user_code");
        assertThat(userCode).matches(USER_CODE);
        assertThat(body).containsEntry("verification_uri", server.issuer() + "/device")
                .containsEntry("verification_uri_complete", server.issuer() + "/device?user_code=" + userCode)
                .containsEntry("expires_in", 600).containsEntry("interval", 5);
        // Stored under the hashes of the codes, not the codes themselves.
        var stored = server.database().stores().deviceCodes().find(dev.castgate.crypto.Hashes.tokenHash((String) body.get("device_code")));
        assertThat(stored).hasValueSatisfying(row -> {
            assertThat(row.userCodeHash().value()).matches("[0-9a-f]{64}").isNotEqualTo(userCode.replace("-", ""));
            assertThat(row.deviceName()).contains("Living room TV");
            assertThat(row.intervalSeconds()).isEqualTo(5);
        });
        assertThat(server.database().stores().deviceCodes().find(new TokenHash((String) body.get("device_code")))).isEmpty();
    }

    @Test
    void aPublicNativeClientAuthenticatesWithItsClientIdAlone() {
        TestClient client = server.client().nativeApp().grants(GrantType.DEVICE_CODE).create();
        DeviceRequests.Codes codes = device.start(client, "broadcaster", null);
        assertBadRequest(device.poll(client, codes.deviceCode()), "authorization_pending", "the user has not yet decided");
    }

    @Test
    void deviceAuthorizationErrors() {
        TestClient allowed = deviceClient();
        TestClient withoutGrant = server.client().create();
        String unknownId = "0123456789abcdef0123456789abcdef01234567";

        assertInvalidClient(Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("client_id", unknownId)),
                "client authentication failed");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form(),
                "Authorization", new TestClient(allowed.id(), "f".repeat(40), null, null).basic()), "client authentication failed");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("client_id", allowed.id())),
                "the client must authenticate with its secret");
        assertBadRequest(device.authorize(withoutGrant, Http.form()), "unauthorized_client",
                "the client is not allowed to use the urn:ietf:params:oauth:grant-type:device_code grant");
        assertBadRequest(device.authorize(allowed, Http.form("scope", "openid videos")), "invalid_scope", "unknown scope: videos");
        TestClient narrow = server.client().grants(GrantType.DEVICE_CODE).scope("broadcaster").create();
        assertBadRequest(device.authorize(narrow, Http.form("scope", "email")), "invalid_scope", "the client is not allowed the scope: email");
        assertBadRequest(device.authorize(allowed, Http.form("device_name", "d".repeat(201))), "invalid_request",
                "device_name must be at most 200 printable characters");
        assertBadRequest(Http.client().post(server.url("/oauth2/device_authorization"), "application/json", "{}"),
                "invalid_request", "the request body must be application/x-www-form-urlencoded");
    }

    @Test
    void pollingAnswersPendingThenSlowDownWithAGrowingIntervalThenTokensOnceThenInvalidGrant() {
        TestClient client = deviceClient();
        User user = server.createUser();
        DeviceRequests.Codes codes = device.start(client, "openid email", "Encoder rack 2");

        assertBadRequest(device.poll(client, codes.deviceCode()), "authorization_pending", "the user has not yet decided");
        // At once again: too fast. The interval grows to 10 s, and to 15 s when the device keeps the old pace.
        assertBadRequest(device.poll(client, codes.deviceCode()), "slow_down", "polling too fast; wait 10 seconds between requests");
        wait(5);
        assertBadRequest(device.poll(client, codes.deviceCode()), "slow_down", "polling too fast; wait 15 seconds between requests");
        wait(14);
        assertBadRequest(device.poll(client, codes.deviceCode()), "slow_down", "polling too fast; wait 20 seconds between requests");
        wait(20);
        assertBadRequest(device.poll(client, codes.deviceCode()), "authorization_pending", "the user has not yet decided");

        Http browser = signedIn(user);
        Http.Response done = device.approve(browser, codes.userCode(), "allow");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("<h1>Device connected</h1>").contains(client.name() + " can now use your account.");

        wait(20);
        Http.Response tokens = device.poll(client, codes.deviceCode());
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = tokens.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token");
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400).containsEntry("scope", "email openid");
        assertThat((String) body.get("access_token")).matches("[0-9a-f]{40}");
        assertThat((String) body.get("refresh_token")).matches("[0-9a-f]{40}");
        Map<String, Object> claims = idTokenClaims((String) body.get("id_token"));
        assertThat(claims).containsEntry("sub", user.id().value()).containsEntry("email", user.email()).containsEntry("iss", server.issuer());
        assertThat(Accounts.userinfo(server, (String) body.get("access_token")).status()).isEqualTo(200);

        wait(20);
        assertBadRequest(device.poll(client, codes.deviceCode()), "invalid_grant",
                "the device code is invalid, was already used or was issued to another client");

        // The refresh token works like any other, and the grant is on the account page with its device name.
        Http.Response refreshed = Accounts.refresh(server, client, (String) body.get("refresh_token"));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.body()).contains(client.name()).contains("Encoder rack 2");
        assertThat(auditTypes(user)).contains("CONSENT:SUCCESS").doesNotContain("TOKEN_ISSUED:SUCCESS");
    }

    @Test
    void withoutTheRefreshGrantNoRefreshTokenAndWithoutOpenidNoIdToken() {
        TestClient client = server.client().grants(GrantType.DEVICE_CODE).create();
        DeviceRequests.Codes codes = device.start(client, "broadcaster", null);
        device.approve(signedIn(server.createUser()), codes.userCode(), "allow");
        Http.Response tokens = device.poll(client, codes.deviceCode());
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json()).containsOnlyKeys("access_token", "token_type", "expires_in", "scope")
                .containsEntry("scope", "broadcaster");
    }

    @Test
    void parallelPollsAfterApprovalGetTheTokensExactlyOnce() throws Exception {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, null, null);
        device.approve(signedIn(server.createUser()), codes.userCode(), "allow");
        List<java.util.concurrent.Future<Http.Response>> polls;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            polls = pool.invokeAll(java.util.Collections.nCopies(8, () -> device.poll(client, codes.deviceCode())));
        }
        int issued = 0;
        for (var poll : polls) {
            Http.Response response = poll.get();
            if (response.status() == 200) {
                issued++;
            } else {
                assertThat(response.status()).as(response.body()).isEqualTo(400);
                assertThat(response.json().get("error")).isIn("slow_down", "invalid_grant");
            }
        }
        assertThat(issued).isEqualTo(1);
    }

    @Test
    void housekeepingKeepsAnApprovedGrantUntilTheDevicePolls() {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, null, "Kitchen TV");
        device.approve(signedIn(server.createUser()), codes.userCode(), "allow");
        server.sweep();
        Http.Response tokens = device.poll(client, codes.deviceCode());
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void aGrantRevokedBeforeTheDevicePollsGivesNoTokens() {
        TestClient client = deviceClient();
        User user = server.createUser();
        DeviceRequests.Codes codes = device.start(client, null, null);
        Http browser = signedIn(user);
        device.approve(browser, codes.userCode(), "allow");
        GrantId grantId = server.database().stores().deviceCodes().find(dev.castgate.crypto.Hashes.tokenHash(codes.deviceCode()))
                .orElseThrow().grantId().orElseThrow();
        server.database().stores().grants().revoke(grantId, server.clock().instant());
        assertBadRequest(device.poll(client, codes.deviceCode()), "invalid_grant",
                "the device code is invalid, was already used or was issued to another client");
    }

    @Test
    void denyAnswersAccessDenied() {
        TestClient client = deviceClient();
        User user = server.createUser();
        DeviceRequests.Codes codes = device.start(client, null, null);
        Http.Response done = device.approve(signedIn(user), codes.userCode(), "deny");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("<h1>Device not connected</h1>");
        assertBadRequest(device.poll(client, codes.deviceCode()), "access_denied", "the user denied the request");
        assertThat(auditTypes(user)).contains("CONSENT:FAILURE");
    }

    @Test
    void anExpiredCodeAnswersExpiredTokenAndCanNoLongerBeEntered() {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, null, null);
        assertBadRequest(device.poll(client, codes.deviceCode()), "authorization_pending", "the user has not yet decided");
        server.clock().advance(Duration.ofSeconds(600));
        assertBadRequest(device.poll(client, codes.deviceCode()), "expired_token", "the device code has expired; start again");

        Http browser = signedIn(server.createUser());
        Http.Response refused = device.enter(browser, device.entryPage(browser), codes.userCode());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("That code is not valid or has expired.");

        // Housekeeping deletes it; the device code is then simply unknown.
        long before = server.database().count("device_codes");
        server.sweep();
        assertThat(server.database().count("device_codes")).isLessThan(before);
        assertBadRequest(device.poll(client, codes.deviceCode()), "invalid_grant",
                "the device code is invalid, was already used or was issued to another client");
    }

    @Test
    void anotherClientsDeviceCodeIsInvalidGrantAndAMissingOneInvalidRequest() {
        DeviceRequests.Codes codes = device.start(deviceClient(), null, null);
        TestClient other = deviceClient();
        assertBadRequest(device.poll(other, codes.deviceCode()), "invalid_grant",
                "the device code is invalid, was already used or was issued to another client");
        assertBadRequest(Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", DeviceRequests.GRANT_TYPE),
                "Authorization", other.basic()), "invalid_request", "parameter device_code is missing");
        assertBadRequest(device.poll(server.client().create(), codes.deviceCode()), "unauthorized_client",
                "the client is not allowed to use the urn:ietf:params:oauth:grant-type:device_code grant");
    }

    @Test
    void theUserCodeIsAcceptedInLowerCaseAndWithoutTheDash() {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, "broadcaster", "Studio encoder");
        Http browser = signedIn(server.createUser());
        String typed = " " + codes.userCode().replace("-", "").toLowerCase() + " ";
        Http.Response confirm = device.enter(browser, device.entryPage(browser), typed);
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.body()).contains("<strong>" + client.name() + "</strong>").contains("<strong>Studio encoder</strong>")
                .contains("<strong>" + codes.userCode() + "</strong>")
                .contains("<li>See your profile, channels and videos</li>")
                .contains("<li>Create, rename and delete your channels and videos, and broadcast live to your channels: ingest settings, streaming keys and device passwords</li>")
                .contains(">Allow</button>").contains(">Deny</button>");
        assertThat(device.decide(browser, confirm, "allow").status()).isEqualTo(200);
        assertThat(device.poll(client, codes.deviceCode()).status()).isEqualTo(200);
    }

    @Test
    void aDecidedCodeCannotBeDecidedAgain() {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, null, null);
        Http browser = signedIn(server.createUser());
        Http.Response confirm = device.enter(browser, device.entryPage(browser), codes.userCode());
        assertThat(device.decide(browser, confirm, "deny").status()).isEqualTo(200);
        Http.Response again = device.decide(browser, confirm, "allow");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("That code is not valid or has expired.");
        assertBadRequest(device.poll(client, codes.deviceCode()), "access_denied", "the user denied the request");
    }

    @Test
    void withoutASessionThePageAsksToSignInAndComesBackWithTheCode() {
        Http browser = Http.browser();
        Http.Response login = browser.get(server.url("/device?user_code=wdjb-mjht"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("action=\"/device/login\"").contains(">Sign in</button>");
        Map<String, String> form = HtmlForms.hiddenFields(login.body());
        assertThat(form).containsEntry("user_code", "wdjb-mjht");
        User user = server.createUser();
        form.put("username", user.username());
        form.put("password", "wrong password");
        Http.Response wrong = browser.postForm(server.url("/device/login"), form);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("The username or password is not correct.");
        form.put("password", TestServer.PASSWORD);
        Http.Response signedIn = browser.postForm(server.url("/device/login"), form);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.location()).isEqualTo("/device?user_code=wdjb-mjht&lang=en_US");
        Http.Response entry = browser.get(server.url(signedIn.location()));
        assertThat(entry.body()).contains("<label for=\"user_code\">Code</label>").contains("value=\"wdjb-mjht\"");
    }

    @Test
    void everyFormNeedsItsCsrfToken() {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, null, null);
        Http browser = signedIn(server.createUser());
        Http.Response entry = device.entryPage(browser);
        Map<String, String> form = HtmlForms.hiddenFields(entry.body());
        form.put("user_code", codes.userCode());
        form.put("csrf_token", "x".repeat(43));
        Http.Response refused = browser.postForm(server.url("/device"), form);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("This form has expired");

        Http.Response confirm = device.enter(browser, entry, codes.userCode());
        Map<String, String> decision = HtmlForms.hiddenFields(confirm.body());
        decision.put("decision", "allow");
        decision.remove("csrf_token");
        assertThat(browser.postForm(server.url("/device"), decision).status()).isEqualTo(403);
        assertBadRequest(device.poll(client, codes.deviceCode()), "authorization_pending", "the user has not yet decided");

        Http fresh = Http.browser();
        Http.Response login = fresh.get(server.url("/device"));
        Map<String, String> loginForm = HtmlForms.hiddenFields(login.body());
        loginForm.put("csrf_token", "y".repeat(43));
        loginForm.put("username", "nobody");
        loginForm.put("password", "whatever");
        assertThat(fresh.postForm(server.url("/device/login"), loginForm).status()).isEqualTo(403);
    }

    @Test
    void thePageSpeaksHungarianAndGerman() {
        TestClient client = deviceClient();
        DeviceRequests.Codes codes = device.start(client, "broadcaster", null);
        Http browser = signedIn(server.createUser());

        Http.Response hu = browser.get(server.url("/device?lang=hu_HU"));
        assertThat(hu.body()).contains("<html lang=\"hu-HU\">").contains("<title>Eszköz csatlakoztatása · Castgate</title>")
                .contains("<label for=\"user_code\">Kód</label>").contains(">Tovább</button>");
        assertThat(HtmlForms.hiddenFields(hu.body())).containsEntry("lang", "hu_HU");
        Http.Response huConfirm = device.enter(browser, hu, codes.userCode());
        assertThat(huConfirm.body()).contains("<h1>Engedélyezi ezt az eszközt?</h1>").contains(">Engedélyezés</button>")
                .contains(">Elutasítás</button>");

        Http.Response de = browser.get(server.url("/device"), "Accept-Language", "de-DE,de;q=0.9");
        assertThat(de.body()).contains("<html lang=\"de-DE\">").contains("<h1>Gerät verbinden</h1>").contains(">Weiter</button>");
        Http.Response deWrong = device.enter(browser, de, "BBBB-BBBB");
        assertThat(deWrong.status()).isEqualTo(400);
        assertThat(deWrong.body()).contains("Dieser Code ist ungültig oder abgelaufen.");

        Http.Response signIn = Http.browser().get(server.url("/device?lang=de_DE"));
        assertThat(signIn.body()).contains("<html lang=\"de-DE\">").contains(">Anmelden</button>");
    }

    @Test
    void discoveryListsTheEndpointAndTheGrant() {
        Map<String, Object> metadata = Http.client().get(server.url("/.well-known/openid-configuration")).json();
        assertThat(metadata).containsEntry("device_authorization_endpoint", server.issuer() + "/oauth2/device_authorization");
        assertThat(metadata.get("grant_types_supported").toString()).contains(DeviceRequests.GRANT_TYPE);
    }

    private static Map<String, Object> idTokenClaims(String idToken) {
        try {
            return SignedJWT.parse(idToken).getJWTClaimsSet().toJSONObject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> auditTypes(User user) {
        return server.database().stores().audit().list(java.time.Instant.EPOCH, 10_000).stream()
                .filter(e -> e.userId().equals(java.util.Optional.of(user.id())))
                .map(e -> e.type() + ":" + e.outcome()).toList();
    }
}
