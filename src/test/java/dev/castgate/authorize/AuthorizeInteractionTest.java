package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The person's side of the authorization endpoint: signing in, allowing or denying, and what
 * prompt, max_age, login_hint and device_name change about it (OIDC Core §3.1.2.1).
 */
class AuthorizeInteractionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG_CREDENTIALS = "The username or password is not correct.";

    @CastgateServer static TestServer server;

    // ---- allow and deny ----

    @Test
    void denyRedirectsWithAccessDeniedStateAndIss() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Map<String, String> params = params(client, "scope", "openid email", "state", "deny-state");

        Http.Response consent = browser.signIn(browser.open(params), user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        Http.Response denied = browser.decide(consent, "deny");

        assertThat(denied.status()).isEqualTo(303);
        assertThat(denied.location()).startsWith(client.redirectUri() + "?");
        assertThat(denied.locationParams()).containsOnlyKeys("error", "error_description", "state", "iss")
                .containsEntry("error", "access_denied").containsEntry("state", "deny-state").containsEntry("iss", server.issuer());
        assertThat(denied.header("Cache-Control")).hasValue("no-store");

        // Nothing was remembered: the next request asks again.
        Http.Response again = browser.open(params);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("name=\"interaction\" value=\"consent\"");
    }

    @Test
    void consentPageNamesTheClientTheUserAndEachScope() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client, "scope", "openid profile email broadcaster")),
                user.username(), TestServer.PASSWORD);

        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains(client.name()).contains(user.name().orElseThrow())
                .contains("See your profile, channels and videos").contains("Confirm who you are when you sign in")
                .contains("See your name and username").contains("See your email address")
                .contains("Create, rename and delete your channels and videos, and broadcast live to your channels: "
                        + "ingest settings, streaming keys and device passwords")
                .doesNotContain("Create, rename and delete your channels and videos</li>");
    }

    @Test
    void consentForAClientWithLegacyApiWritesSaysWhatItsTokensMayChange() {
        User user = server.createUser();
        TestClient legacy = server.client().legacyApiWrites().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(legacy, "scope", "openid")), user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("<li>See your profile, channels and videos</li>")
                .contains("<li>Create, rename and delete your channels and videos</li>")
                .contains("<li>Confirm who you are when you sign in</li>").doesNotContain("broadcast live");

        // An ordinary client's openid token changes nothing, and its consent says nothing of it.
        BrowserFlow other = new BrowserFlow(server);
        Http.Response plain = other.signIn(other.open(params(server.client().create(), "scope", "openid")), user.username(), TestServer.PASSWORD);
        assertThat(plain.body()).contains("<li>See your profile, channels and videos</li>").doesNotContain("Create, rename and delete");
    }

    // ---- prompt ----

    @Test
    void promptNoneWithoutSessionIsLoginRequired() {
        TestClient client = server.client().create();
        Http.Response response = new BrowserFlow(server).open(params(client, "prompt", "none", "state", "pn-1"));
        assertRedirectError(response, client, "login_required", "pn-1");
    }

    @Test
    void promptNoneWithSessionButNoConsentIsConsentRequired() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        // Signing in starts the session; the consent page is left unanswered.
        Http.Response consent = browser.signIn(browser.open(params(client, "scope", "openid")), user.username(), TestServer.PASSWORD);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");

        Http.Response response = browser.open(params(client, "scope", "openid", "prompt", "none", "state", "pn-2"));
        assertRedirectError(response, client, "consent_required", "pn-2");
    }

    @Test
    void promptNoneWithSessionAndConsentIssuesACode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        browser.code(browser.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);

        Http.Response response = browser.open(params(client, "scope", "openid", "prompt", "none", "state", "pn-3"));
        assertThat(response.status()).isEqualTo(302);
        browser.code(response, "pn-3");
    }

    @Test
    void consentForFewerScopesDoesNotCoverMore() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        browser.code(browser.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);

        Http.Response response = browser.open(params(client, "scope", "openid email", "prompt", "none", "state", "pn-4"));
        assertRedirectError(response, client, "consent_required", "pn-4");
    }

    @Test
    void promptLoginForcesTheSignInPageEvenWithASession() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client, "scope", "openid")), user.username(), TestServer.PASSWORD);
        String firstSession = sessionCookie(consent).orElseThrow();
        browser.code(browser.decide(consent, "allow"), null);

        server.clock().advance(Duration.ofSeconds(30));
        long reauthenticatedAt = server.clock().instant().getEpochSecond();
        Http.Response login = browser.open(params(client, "scope", "openid", "prompt", "login", "state", "pl"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"interaction\" value=\"login\"");

        Http.Response redirect = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303); // consent is remembered
        // A new session, not the old one kept (no fixation).
        assertThat(sessionCookie(redirect)).isPresent().get().isNotEqualTo(firstSession);
        String code = browser.code(redirect, "pl");
        assertThat(idTokenClaims(exchange(client, code))).containsEntry("auth_time", reauthenticatedAt);

        // The fresh sign-in serves requests without prompt=login as before.
        Http.Response plain = browser.open(params(client, "scope", "openid"));
        assertThat(plain.status()).isEqualTo(302);
    }

    @Test
    void promptConsentForcesTheConsentPage() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        browser.code(browser.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);

        Http.Response consent = browser.open(params(client, "scope", "openid", "prompt", "consent", "state", "pc"));
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"").doesNotContain("name=\"password\"");
        browser.code(browser.decide(consent, "allow"), "pc");
    }

    @Test
    void promptLoginAndConsentTogetherAskForBoth() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        browser.code(browser.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);

        Http.Response login = browser.open(params(client, "scope", "openid", "prompt", "login consent", "state", "plc"));
        assertThat(login.body()).contains("name=\"interaction\" value=\"login\"");
        Http.Response consent = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
        browser.code(browser.decide(consent, "allow"), "plc");
    }

    // ---- max_age ----

    @Test
    void maxAgeExceededForcesSignInAndAuthTimeReflectsIt() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        long firstSignIn = server.clock().instant().getEpochSecond();
        String first = browser.code(browser.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);
        assertThat(idTokenClaims(exchange(client, first))).containsEntry("auth_time", firstSignIn);

        server.clock().advance(Duration.ofSeconds(120));
        // Within max_age: no sign-in, and auth_time is still the first sign-in.
        Http.Response within = browser.open(params(client, "scope", "openid", "max_age", "300", "state", "ma-1"));
        assertThat(within.status()).isEqualTo(302);
        assertThat(idTokenClaims(exchange(client, browser.code(within, "ma-1")))).containsEntry("auth_time", firstSignIn);

        // prompt=none cannot sign the person in again.
        assertRedirectError(browser.open(params(client, "scope", "openid", "max_age", "60", "prompt", "none", "state", "ma-2")),
                client, "login_required", "ma-2");

        Http.Response login = browser.open(params(client, "scope", "openid", "max_age", "60", "state", "ma-3"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"interaction\" value=\"login\"");
        long secondSignIn = server.clock().instant().getEpochSecond();
        Http.Response redirect = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
        assertThat(idTokenClaims(exchange(client, browser.code(redirect, "ma-3")))).containsEntry("auth_time", secondSignIn);
    }

    /**
     * Every ID token of one sign-in carries the session's own sign-in time, however often the
     * request reads the clock: here each read moves it on by 0.7 s, so two reads a second apart
     * (such as the request's start and the session's stamp after the password check, the defect
     * a certification run met on a sign-in whose consent was remembered) give different seconds.
     */
    @Test
    void authTimeIsTheSessionsSignInTimeHoweverTheClockMovesDuringTheRequest() {
        User user = server.createUser();
        TestClient client = server.client().create();
        // The consent is remembered first, so the sign-in below goes straight back to the client.
        BrowserFlow first = new BrowserFlow(server);
        first.code(first.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);

        BrowserFlow browser = new BrowserFlow(server);
        server.clock().tickOnEachRead(Duration.ofMillis(700));
        try {
            Http.Response login = browser.open(params(client, "scope", "openid", "state", "at-1"));
            Http.Response redirect = browser.signIn(login, user.username(), TestServer.PASSWORD);
            assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
            long signedIn = (Long) idTokenClaims(exchange(client, browser.code(redirect, "at-1"))).get("auth_time");
            long again = (Long) idTokenClaims(exchange(client, browser.code(
                    browser.open(params(client, "scope", "openid", "prompt", "none", "state", "at-2")), "at-2"))).get("auth_time");

            long session = Sql.count(server, "SELECT MAX(auth_time) FROM sessions WHERE user_id = ?", user.id().value()) / 1000;
            assertThat(signedIn).isEqualTo(session);
            assertThat(again).isEqualTo(session);
        } finally {
            server.clock().tickOnEachRead(Duration.ZERO);
        }
    }

    @Test
    void maxAgeZeroAlwaysForcesSignIn() {
        // OIDC Core §3.1.2.1: max_age=0 is equivalent to prompt=login, even within the very
        // millisecond of the last sign-in (the clock stands still here; sessions keep milliseconds).
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        int subMillis = server.clock().instant().getNano() % 1_000_000;
        if (subMillis != 0) server.clock().advance(Duration.ofNanos(1_000_000 - subMillis));
        browser.code(browser.authorize(params(client, "scope", "openid"), user.username(), TestServer.PASSWORD), null);

        Http.Response login = browser.open(params(client, "scope", "openid", "max_age", "0", "state", "ma-0"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"interaction\" value=\"login\"");
        browser.code(browser.signIn(login, user.username(), TestServer.PASSWORD), "ma-0");
    }

    // ---- login_hint and device_name ----

    @Test
    void loginHintPrefillsTheUsername() {
        TestClient client = server.client().create();
        Http.Response login = new BrowserFlow(server).open(params(client, "login_hint", "hinted.person@example.com"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).containsPattern("<input id=\"username\" name=\"username\"[^>]* value=\"hinted\\.person@example\\.com\">");
    }

    @Test
    void noLoginHintLeavesTheUsernameEmpty() {
        TestClient client = server.client().create();
        Http.Response login = new BrowserFlow(server).open(params(client));
        assertThat(login.body()).containsPattern("<input id=\"username\" name=\"username\"[^>]* value=\"\">");
    }

    @Test
    void deviceNameIsShownOnTheConsentPage() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client, "device_name", "Living room TV")),
                user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("Device: <strong>Living room TV</strong>");

        Http.Response withoutName = browser.open(params(client));
        assertThat(withoutName.body()).contains("name=\"interaction\" value=\"consent\"").doesNotContain("Device:");
    }

    // ---- sign-in ----

    @Test
    void wrongPasswordShowsTheMessageWith401AndStartsNoSession() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client, "state", "wp"));

        Http.Response wrong = browser.signIn(login, user.username(), "not the password at all");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Location")).isEmpty();
        assertThat(wrong.body()).contains(WRONG_CREDENTIALS).contains("name=\"interaction\" value=\"login\"");
        assertThat(sessionCookie(wrong)).isEmpty();
        assertThat(browser.open(params(client)).body()).contains("name=\"interaction\" value=\"login\"");

        // The page keeps the request, so the person can try again from it.
        Http.Response consent = browser.signIn(wrong, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        browser.code(browser.decide(consent, "allow"), "wp");
    }

    @Test
    void unknownUserGetsTheSameAnswerAsAWrongPassword() {
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response wrong = browser.signIn(browser.open(params(client)), "nobody-by-this-name", TestServer.PASSWORD);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains(WRONG_CREDENTIALS);
        assertThat(sessionCookie(wrong)).isEmpty();
    }

    @Test
    void emptyCredentialsAreRefusedWith400() {
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response empty = browser.signIn(browser.open(params(client)), "", "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("Enter your username or email and your password.");
    }

    @Test
    void throttledAfterFiveWrongPasswordsEvenWithTheRightOne() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client));
        for (int i = 0; i < 5; i++) {
            Http.Response wrong = browser.signIn(login, user.username(), "wrong password " + i);
            assertThat(wrong.status()).as("attempt " + (i + 1)).isEqualTo(401);
        }
        Http.Response throttled = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body()).contains("Too many failed sign-ins. Wait 15 minutes and try again.");
        assertThat(sessionCookie(throttled)).isEmpty();

        // Another browser at the same address is no way around it, nor is another spelling of the name.
        // (The email is a name of its own, counted apart: SignInThrottleTest.)
        BrowserFlow other = new BrowserFlow(server);
        assertThat(other.signIn(other.open(params(client)), user.username(), TestServer.PASSWORD).status()).isEqualTo(429);
        assertThat(other.signIn(other.open(params(client)), user.username().toUpperCase(), TestServer.PASSWORD).status()).isEqualTo(429);

        // Once the window has passed, the right password works again.
        server.clock().advance(Duration.ofMinutes(16));
        Http.Response consent = browser.signIn(browser.open(params(client)), user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
    }

    @Test
    void throttleCountsTheUsernameAndTheEmailApart() {
        // One count for both told a stranger which email belongs to which username.
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client));
        for (int i = 0; i < 5; i++) {
            String name = i % 2 == 0 ? user.email() : user.username();
            assertThat(browser.signIn(login, name, "wrong password " + i).status()).as("attempt " + (i + 1)).isEqualTo(401);
        }
        Http.Response consent = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
    }

    @Test
    void signInByEmailWorks() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client, "state", "em")), user.email(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
        browser.code(browser.decide(consent, "allow"), "em");
    }

    @Test
    void usernameAndEmailAreCaseInsensitive() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client)), user.email().toUpperCase(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        BrowserFlow other = new BrowserFlow(server);
        assertThat(other.signIn(other.open(params(client)), user.username().toUpperCase(), TestServer.PASSWORD).status()).isEqualTo(200);
    }

    // ---- CSRF ----

    @Test
    void loginFormWithAWrongCsrfTokenIsRefused() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client));
        String token = HtmlForms.hiddenFields(login.body()).get("csrf_token");
        assertThat(token).hasSize(43);

        Http.Response forged = browser.submit(login, Http.form("username", user.username(), "password", TestServer.PASSWORD,
                "csrf_token", (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1)));
        assertCsrfRefused(forged);
    }

    @Test
    void loginFormWithoutACsrfTokenIsRefused() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client));
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(login.body()));
        form.remove("csrf_token");
        form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        assertCsrfRefused(browser.http().postForm(server.url("/authorize"), form));
    }

    @Test
    void loginFormPostedFromAnotherBrowserIsRefused() {
        // A forged cross-site post carries the page's fields but not the victim's CSRF cookie.
        User user = server.createUser();
        TestClient client = server.client().create();
        Http.Response login = new BrowserFlow(server).open(params(client));
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(login.body()));
        form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        assertCsrfRefused(Http.browser().postForm(server.url("/authorize"), form));
    }

    @Test
    void consentFormWithAWrongCsrfTokenIssuesNoCode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client)), user.username(), TestServer.PASSWORD);
        Http.Response forged = browser.submit(consent, Http.form("decision", "allow", "csrf_token", "x".repeat(43)));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.header("Location")).isEmpty();
        assertThat(forged.body()).contains("This form has expired");
        // ... and nothing was remembered.
        assertThat(browser.open(params(client)).body()).contains("name=\"interaction\" value=\"consent\"");
    }

    // ---- methods and paths ----

    @Test
    void getAndPostAuthorizeAndTheAliasAllWork() {
        User user = server.createUser();
        TestClient client = server.client().create();

        Http.Response getPage = new BrowserFlow(server).open(params(client));
        assertThat(getPage.status()).isEqualTo(200);
        assertThat(getPage.body()).contains("<form method=\"post\" action=\"/authorize\">");

        Http.Response postPage = Http.browser().postForm(server.url("/authorize"), params(client));
        assertThat(postPage.status()).isEqualTo(200);
        assertThat(postPage.body()).contains("name=\"interaction\" value=\"login\"").contains("action=\"/authorize\"");

        Http.Response postAlias = Http.browser().postForm(server.url("/oauth2/authorize"), params(client));
        assertThat(postAlias.status()).isEqualTo(200);
        assertThat(postAlias.body()).contains("action=\"/oauth2/authorize\"");

        // The whole flow on the alias, its forms posting back to it.
        Http browser = Http.browser();
        String alias = server.url("/oauth2/authorize");
        Http.Response login = browser.get(Urls.withQuery(alias, params(client, "scope", "openid", "state", "al")));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("<form method=\"post\" action=\"/oauth2/authorize\">");
        Map<String, String> loginForm = new LinkedHashMap<>(HtmlForms.hiddenFields(login.body()));
        loginForm.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        Http.Response consent = browser.postForm(alias, loginForm);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("action=\"/oauth2/authorize\"");
        Map<String, String> consentForm = new LinkedHashMap<>(HtmlForms.hiddenFields(consent.body()));
        consentForm.put("decision", "allow");
        Http.Response redirect = browser.postForm(alias, consentForm);
        assertThat(redirect.status()).isEqualTo(303);
        assertThat(redirect.locationParams()).containsEntry("state", "al").containsEntry("iss", server.issuer());
        assertThat(exchange(client, redirect.locationParams().get("code"))).containsKey("id_token");
    }

    // ---- helpers ----

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code"));
        params.putAll(Http.form(extra));
        return params;
    }

    private static Map<String, Object> exchange(TestClient client, String code) {
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json();
    }

    /** The ID token's claims, read without checking the signature (IdTokenTest checks that). */
    private static Map<String, Object> idTokenClaims(Map<String, Object> tokenResponse) {
        String[] parts = ((String) tokenResponse.get("id_token")).split("\\.");
        try {
            Map<String, Object> claims = JSON.readValue(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
            // Numbers as long, so they compare with epoch seconds.
            claims.replaceAll((k, v) -> v instanceof Integer i ? i.longValue() : v);
            return claims;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<String> sessionCookie(Http.Response response) {
        return response.headers("Set-Cookie").stream().filter(c -> c.startsWith("castgate_session=")).findFirst()
                .map(c -> c.substring("castgate_session=".length(), c.indexOf(';')));
    }

    private static void assertRedirectError(Http.Response response, TestClient client, String error, String state) {
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        assertThat(response.location()).startsWith(client.redirectUri() + "?");
        assertThat(response.locationParams()).containsOnlyKeys("error", "error_description", "state", "iss")
                .containsEntry("error", error).containsEntry("state", state).containsEntry("iss", server.issuer());
    }

    private static void assertCsrfRefused(Http.Response response) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Location")).isEmpty();
        assertThat(response.body()).contains("This form has expired");
        assertThat(sessionCookie(response)).isEmpty();
    }
}
