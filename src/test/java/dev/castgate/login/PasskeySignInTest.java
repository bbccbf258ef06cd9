package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.SoftPasskey;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in with a passkey over HTTP, the answers built by a software passkey: as the second
 * step after the password (beside the code, where the account has both), as a step-up, and alone
 * on the sign-in form; what the tokens then say (amr, acr); and every refusal: a challenge not
 * the page's or used, another origin, an unknown or removed passkey, a counter that went back, no
 * verification of the person where a passkey signs in alone, a disabled account, and too many
 * failures.
 */
class PasskeySignInTest {
    private static final String REFUSED = "That passkey was not accepted. Try again, or sign in another way.";

    @TempDir static Path dir;
    /** Every test signs in from the same address, and one test makes more than the default five failures on purpose. */
    @CastgateServer({"CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS=8", "CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=1000"})
    static TestServer server;
    static Tool tool;

    @BeforeAll
    static void setUp() { tool = Tool.forServer(server, dir); }

    /** A person with a passkey, registered on the account page. */
    private record PasskeyUser(User user, SoftPasskey passkey) {}

    private static PasskeyUser passkeyUser() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        return new PasskeyUser(user, SoftPasskey.add(server, browser, "Laptop"));
    }

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "st", "nonce", "nn");
        params.putAll(Http.form(extra));
        return params;
    }

    private static List<String> auditFor(User user) {
        return server.database().stores().audit().list(Instant.EPOCH, 10_000).stream()
                .filter(e -> e.userId().equals(Optional.of(user.id())) && e.type() == AuditEvent.Type.PASSKEY_SIGN_IN)
                .map(e -> e.outcome() + " " + e.detail().orElse("")).toList();
    }

    private static String csp(Http.Response page) { return page.header("Content-Security-Policy").orElseThrow(); }

    private static String challenge(Http.Response page) { return SoftPasskey.options(page, "get").path("challenge").asText(); }

    private static String randomChallenge() {
        byte[] bytes = new byte[57];
        new SecureRandom().nextBytes(bytes);
        return SoftPasskey.encode(bytes);
    }

    private static Http.Response refused(Http.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains(message);
        assertThat(answer.headers("Set-Cookie")).noneMatch(c -> c.startsWith("castgate_session="));
        return answer;
    }

    @Test
    void aPasskeyIsTheSecondStepAfterThePasswordAndTheTokensSaySo() {
        PasskeyUser person = passkeyUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(params(client));
        assertThat(csp(login)).contains("script-src 'self'").doesNotContain("unsafe-inline");
        Http.Response step = flow.signIn(login, person.user().username(), TestServer.PASSWORD);
        assertThat(step.status()).isEqualTo(200);
        assertThat(step.body()).contains("<h1>Use your passkey</h1>")
                .contains("Your account uses two-step sign-in. Use one of your passkeys to continue.")
                .contains("<button type=\"submit\">Use a passkey</button>")
                .doesNotContain("name=\"code\"");
        assertThat(csp(step)).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(step.headers("Set-Cookie")).noneMatch(c -> c.startsWith("castgate_session="));
        JsonNode options = SoftPasskey.options(step, "get");
        assertThat(options.path("rpId").asText()).isEqualTo("127.0.0.1");
        assertThat(options.path("allow").size()).isEqualTo(1);
        assertThat(options.path("allow").get(0).asText()).isEqualTo(person.passkey().id());
        assertThat(options.path("userVerification").asText()).isEqualTo("preferred");

        Http.Response consent = flow.submit(step, person.passkey().sign(step, server.issuer(), false));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
        Map<String, Object> tokens = flow.exchange(client, flow.decide(consent, "allow"), "st");
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("amr", List.of("pwd", "hwk", "mfa"))
                .containsEntry("acr", "2");

        // With the person verified by the authenticator too, the ID token says so.
        BrowserFlow verified = new BrowserFlow(server);
        Http.Response again = verified.signIn(verified.open(params(client, "prompt", "login")), person.user().username(),
                TestServer.PASSWORD);
        Http.Response redirect = verified.submit(again, person.passkey().sign(again, server.issuer(), true));
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
        assertThat(JwtClaims.of((String) verified.exchange(client, redirect, "st").get("id_token")))
                .containsEntry("amr", List.of("pwd", "hwk", "user", "mfa")).containsEntry("acr", "2");

        assertThat(auditFor(person.user())).containsExactly("SUCCESS second step, user present", "SUCCESS second step, user verified");
    }

    @Test
    void theSecondStepRefusesEveryWrongAnswerAndUsesEachChallengeOnce() {
        PasskeyUser person = passkeyUser();
        SoftPasskey passkey = person.passkey();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response step = flow.signIn(flow.open(params(client)), person.user().username(), TestServer.PASSWORD);

        Http.Response page = refused(flow.submit(step, passkey.sign(randomChallenge(), server.issuer(), false, false)), 401, REFUSED);
        // Each refusal shows the step again, with a new challenge.
        assertThat(challenge(page)).isNotEqualTo(challenge(step));
        page = refused(flow.submit(page, passkey.sign(challenge(page), "http://evil.example", false, false)), 401, REFUSED);
        page = refused(flow.submit(page, new SoftPasskey(server.issuer()).sign(challenge(page), server.issuer(), false, false)), 401, REFUSED);

        // A challenge answered once, even wrongly (a broken signature), is not accepted again.
        Map<String, String> right = passkey.sign(challenge(page), server.issuer(), false, false);
        Map<String, String> broken = new java.util.LinkedHashMap<>(right);
        broken.put("passkey_signature", SoftPasskey.encode(new byte[70]));
        page = refused(flow.submit(page, broken), 401, REFUSED);
        page = refused(flow.submit(page, right), 401, REFUSED);

        Map<String, String> incomplete = passkey.sign(challenge(page), server.issuer(), false, false);
        incomplete.remove("passkey_signature");
        page = refused(flow.submit(page, incomplete), 400, "The passkey's answer was incomplete. Try again.");

        // One right answer moves the counter on; an answer whose counter is not above it is refused: a cloned key.
        Http.Response consent = flow.submit(page, passkey.sign(challenge(page), server.issuer(), false, false));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        long count = passkey.counter();
        BrowserFlow clone = new BrowserFlow(server);
        Http.Response cloneStep = clone.signIn(clone.open(params(client)), person.user().username(), TestServer.PASSWORD);
        refused(clone.submit(cloneStep, passkey.signAt(challenge(cloneStep), server.issuer(), count, false, false)), 401, REFUSED);

        // With its only passkey gone, the account has no second step left.
        server.database().stores().passkeys().remove(person.user().id(), passkey.id());
        BrowserFlow later = new BrowserFlow(server);
        Http.Response laterStep = later.signIn(later.open(params(client)), person.user().username(), TestServer.PASSWORD);
        assertThat(laterStep.body()).as("with no passkey left, the password alone signs in").contains("value=\"consent\"");
        assertThat(auditFor(person.user())).containsExactly(
                "FAILURE second step: challenge not this page's, expired or used",
                "FAILURE second step: refused: BadOriginException",
                "FAILURE second step: unknown passkey",
                "FAILURE second step: refused: BadSignatureException",
                "FAILURE second step: challenge not this page's, expired or used",
                "SUCCESS second step, user present",
                "FAILURE second step: refused: MaliciousCounterValueException");
    }

    @Test
    void aRemovedPasskeyIsRefusedOnAPageShownBeforeItWasRemoved() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        SoftPasskey laptop = SoftPasskey.add(server, browser, "Laptop");
        SoftPasskey.add(server, browser, "Phone");
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response step = flow.signIn(flow.open(params(client)), user.username(), TestServer.PASSWORD);
        assertThat(SoftPasskey.options(step, "get").path("allow").size()).isEqualTo(2);

        Http.Response account = browser.get(server.url("/account"));
        Map<String, String> remove = HtmlForms.hiddenFields(account.body());
        remove.putAll(Http.form("passkey", laptop.id(), "current_password", TestServer.PASSWORD));
        assertThat(browser.postForm(server.url("/account/passkeys/remove"), remove).status()).isEqualTo(200);

        Http.Response answer = refused(flow.submit(step, laptop.sign(challenge(step), server.issuer(), true, false)), 401, REFUSED);
        assertThat(SoftPasskey.options(answer, "get").path("allow").size()).isEqualTo(1);
        assertThat(auditFor(user)).containsExactly("FAILURE second step: unknown passkey");
    }

    @Test
    void malformedAnswersAreRefusedLikeWrongOnes() {
        PasskeyUser person = passkeyUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response page = flow.signIn(flow.open(params(client)), person.user().username(), TestServer.PASSWORD);
        for (Map.Entry<String, String> spoiled : List.of(Map.entry("passkey_authenticator_data", "AAAA"),
                Map.entry("passkey_client_data", SoftPasskey.encode("{}".getBytes())),
                Map.entry("passkey_client_data", SoftPasskey.encode("not json".getBytes())),
                Map.entry("passkey_signature", "AAAA"),
                Map.entry("passkey_id", SoftPasskey.encode(new byte[1024])))) {
            Map<String, String> answer = person.passkey().sign(challenge(page), server.issuer(), true, false);
            answer.put(spoiled.getKey(), spoiled.getValue());
            Http.Response refused = flow.submit(page, answer);
            assertThat(refused.status()).as(spoiled + ": " + refused.body()).isIn(400, 401);
            assertThat(refused.body()).containsAnyOf(REFUSED, "The passkey's answer was incomplete. Try again.");
            page = refused;
        }
    }

    @Test
    void withACodeAndAPasskeyEitherOneIsTheSecondStep() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator app = Authenticator.enable(server, browser).app();
        SoftPasskey passkey = SoftPasskey.add(server, browser, "Key");
        TestClient client = server.client().create();

        BrowserFlow flow = new BrowserFlow(server);
        Http.Response step = flow.signIn(flow.open(params(client)), user.username(), TestServer.PASSWORD);
        assertThat(step.body()).contains("<h1>Enter your code</h1>").contains("<label for=\"code\">Code from your authenticator app</label>")
                .contains("Or use one of your passkeys instead of a code.")
                .contains("<button type=\"submit\" class=\"secondary\">Use a passkey</button>");
        Http.Response consent = flow.submit(step, passkey.sign(step, server.issuer(), true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) flow.exchange(client, flow.decide(consent, "allow"), "st").get("id_token")))
                .containsEntry("amr", List.of("pwd", "hwk", "user", "mfa")).containsEntry("acr", "2");

        BrowserFlow withCode = new BrowserFlow(server);
        Http.Response codeStep = withCode.signIn(withCode.open(params(client)), user.username(), TestServer.PASSWORD);
        Http.Response redirect = withCode.enterCode(codeStep, app.nextCode());
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
        assertThat(JwtClaims.of((String) withCode.exchange(client, redirect, "st").get("id_token")))
                .containsEntry("amr", List.of("pwd", "otp", "mfa"));
    }

    @Test
    void aSessionSignedInWithAPasswordIsSteppedUpByAPasskeyForAcrTwo() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        SoftPasskey passkey = SoftPasskey.add(server, browser, "Laptop");
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server, browser);

        Http.Response step = flow.open(params(client, "acr_values", "2"));
        assertThat(step.status()).isEqualTo(200);
        assertThat(step.body()).contains("<h1>Use your passkey</h1>").doesNotContain("type=\"password\"");
        Http.Response consent = flow.submit(step, passkey.sign(step, server.issuer(), false));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) flow.exchange(client, flow.decide(consent, "allow"), "st").get("id_token")))
                .containsEntry("amr", List.of("pwd", "hwk", "mfa")).containsEntry("acr", "2");
    }

    @Test
    void aPasskeyAloneSignsInWhenItVerifiedThePersonAndCountsAsTwoFactors() {
        PasskeyUser person = passkeyUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(params(client, "acr_values", "2"));
        assertThat(login.body()).contains("<script src=\"/static/passkeys.js\" defer></script>")
                // Hidden until the script shows it, where the browser has passkeys: without script the page is as it was.
                .contains("<form method=\"post\" action=\"/authorize\" class=\"passkey\" hidden data-passkey=\"get\"")
                .contains("<button type=\"submit\" class=\"secondary\">Sign in with a passkey</button>");
        assertThat(csp(login)).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "form-action 'self' http://127.0.0.1:9; frame-ancestors 'none'; base-uri 'none'");
        JsonNode options = SoftPasskey.options(login, "get");
        assertThat(options.path("allow").isEmpty()).as("any discoverable passkey").isTrue();
        assertThat(options.path("userVerification").asText()).isEqualTo("required");

        Http.Response consent = flow.submit(login, person.passkey().sign(login, server.issuer(), true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.headers("Set-Cookie")).anyMatch(c -> c.startsWith("castgate_session="));
        Map<String, Object> idToken = JwtClaims.of((String) flow.exchange(client, flow.decide(consent, "allow"), "st").get("id_token"));
        assertThat(idToken).containsEntry("amr", List.of("hwk", "user", "mfa")).containsEntry("acr", "2")
                .containsEntry("sub", person.user().id().value());
        assertThat(auditFor(person.user())).containsExactly("SUCCESS without password, user verified");

        // The account page's sign-in form too.
        Http browser = Http.browser();
        Http.Response accountLogin = browser.get(server.url("/account"));
        Map<String, String> form = HtmlForms.hiddenFields(accountLogin.body());
        form.putAll(person.passkey().sign(accountLogin, server.issuer(), true));
        Http.Response signedIn = browser.postForm(server.url("/account/login"), form);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        assertThat(browser.get(server.url("/account")).body()).contains("Signed in as <strong>" + person.user().username() + "</strong>");

        // And the device page's, which keeps the code typed so far.
        TestClient device = server.client().grants(GrantType.DEVICE_CODE).create();
        String userCode = (String) Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("scope", "openid"),
                "Authorization", device.basic()).json().get("user_code");
        Http tv = Http.browser();
        Http.Response deviceLogin = tv.get(server.url("/device?user_code=" + userCode));
        Map<String, String> deviceForm = HtmlForms.hiddenFields(deviceLogin.body());
        deviceForm.putAll(person.passkey().sign(deviceLogin, server.issuer(), true));
        Http.Response back = tv.postForm(server.url("/device/login"), deviceForm);
        assertThat(back.status()).as(back.body()).isEqualTo(303);
        assertThat(back.location()).isEqualTo("/device?user_code=" + userCode + "&lang=en_US");
    }

    @Test
    void aPasskeyAloneIsRefusedWithoutVerificationHandleOrKnownPasskeyAndForADisabledAccount() {
        PasskeyUser person = passkeyUser();
        SoftPasskey passkey = person.passkey();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(params(client));

        login = refused(flow.submit(login, passkey.sign(login, server.issuer(), false)), 401, REFUSED);
        assertThat(login.body()).contains("name=\"password\"");
        login = refused(flow.submit(login, passkey.sign(challenge(login), server.issuer(), true, false)), 401, REFUSED);
        login = refused(flow.submit(login, passkey.sign(challenge(login), "https://127.0.0.1.evil.example", true, true)), 401, REFUSED);
        // A challenge of the second step is not one of the sign-in form's.
        login = refused(flow.submit(login, passkey.sign(randomChallenge(), server.issuer(), true, true)), 401, REFUSED);

        Tool.Run disabled = tool.run("user", "disable", person.user().username());
        assertThat(disabled.exit()).as(disabled.err()).isZero();
        login = refused(flow.submit(login, passkey.sign(login, server.issuer(), true)), 401, REFUSED);
        tool.run("user", "enable", person.user().username());

        Http.Response unknown = flow.open(params(client));
        SoftPasskey stranger = new SoftPasskey(server.issuer());
        refused(flow.submit(unknown, stranger.sign(challenge(unknown), server.issuer(), true, false)), 401, REFUSED);
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 10_000).stream()
                .filter(e -> e.type() == AuditEvent.Type.PASSKEY_SIGN_IN && e.userId().isEmpty())
                .map(e -> e.outcome() + " " + e.detail().orElse(""))).contains("FAILURE without password: unknown passkey");

        assertThat(auditFor(person.user())).containsExactly(
                "FAILURE without password: refused: UserNotVerifiedException",
                "FAILURE without password: user handle not the passkey's account",
                "FAILURE without password: refused: BadOriginException",
                "FAILURE without password: challenge not this page's, expired or used",
                "FAILURE without password: account disabled");
    }

    @Test
    void wrongPasskeysAreThrottledLikeWrongCodes() {
        PasskeyUser person = passkeyUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response step = flow.signIn(flow.open(params(client)), person.user().username(), TestServer.PASSWORD);
        for (int i = 0; i < 8; i++) {
            step = refused(flow.submit(step, person.passkey().sign(challenge(step), "http://evil.example", false, false)), 401, REFUSED);
        }
        // The limit per account and address: even a right answer waits now.
        Http.Response throttled = flow.submit(step, person.passkey().sign(challenge(step), server.issuer(), false, false));
        refused(throttled, 429, "Too many failed attempts. Wait 15 minutes and try again.");
    }

    @Test
    void anAnsweredChallengeIsRememberedUntilItExpiresThenHousekeepingForgetsIt() throws Exception {
        PasskeyUser person = passkeyUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(params(client));
        String challenge = challenge(login);
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(java.util.Base64.getUrlDecoder().decode(challenge)));
        Http.Response consent = flow.submit(login, person.passkey().sign(challenge, server.issuer(), true, true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        String used = "SELECT COUNT(*) FROM passkey_challenges_used WHERE hash = ?";
        assertThat(dev.castgate.testing.Sql.count(server, used, hash)).isOne();
        server.sweep();
        assertThat(dev.castgate.testing.Sql.count(server, used, hash)).as("kept while the challenge could be answered").isOne();
        server.clock().advance(java.time.Duration.ofMinutes(5));
        server.sweep();
        assertThat(dev.castgate.testing.Sql.count(server, used, hash)).isZero();
    }

    @Test
    void thePasswordGrantIsRefusedToAnAccountWithAPasskey() {
        PasskeyUser person = passkeyUser();
        TestClient client = server.client().grants(GrantType.PASSWORD).create();
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", person.user().username(), "password", TestServer.PASSWORD, "scope", "openid"), "Authorization", client.basic());
        assertThat(token.status()).isEqualTo(400);
        assertThat(token.json()).containsEntry("error", "invalid_grant").containsEntry("error_description",
                "the account signs in with a second factor, which the password grant cannot ask for; use the authorization code flow");
    }
}
