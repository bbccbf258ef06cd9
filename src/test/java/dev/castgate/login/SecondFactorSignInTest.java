package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing in with a second factor, over HTTP: the code after the password, on the one sign-in
 * form of /authorize, /device and /account, with the request kept and no session before the code
 * is right; replays refused; recovery codes once each; and what the tokens then say (amr, acr).
 */
class SecondFactorSignInTest {
    @CastgateServer static TestServer server;

    /** A user with the second factor on, and their authenticator app. */
    private record TwoStepUser(User user, Authenticator.Enabled enabled) {
        Authenticator app() { return enabled.app(); }
    }

    private static TwoStepUser twoStepUser() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        return new TwoStepUser(user, Authenticator.enable(server, browser));
    }

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "st", "nonce", "nn");
        params.putAll(Http.form(extra));
        return params;
    }

    private static boolean setsSession(Http.Response response) {
        return response.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("castgate_session="));
    }

    @Test
    void aRightPasswordLeadsToTheCodeWithTheRequestKeptAndNoSessionUntilTheCodeIsRight() {
        TwoStepUser person = twoStepUser();
        TestClient client = server.client().accessTokenFormat(AccessTokenFormat.JWT).create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response codePage = flow.signIn(flow.open(params(client, "device_name", "Den TV")), person.user().username(),
                TestServer.PASSWORD);

        assertThat(codePage.status()).isEqualTo(200);
        assertThat(codePage.body()).contains("<h1>Enter your code</h1>").contains("<strong>" + client.name() + "</strong>")
                .contains("<label for=\"code\">Code from your authenticator app</label>").contains("autocomplete=\"one-time-code\"")
                .doesNotContain("type=\"password\"");
        assertThat(HtmlForms.hiddenFields(codePage.body())).containsEntry("client_id", client.id()).containsEntry("state", "st")
                .containsEntry("nonce", "nn").containsEntry("device_name", "Den TV").containsEntry("interaction", "login")
                .containsKey("second_step");
        assertThat(setsSession(codePage)).as("no session before the code").isFalse();
        assertThat(flow.http().get(server.url("/account")).body()).contains("action=\"/account/login\"");

        Http.Response wrong = flow.enterCode(codePage, person.app().wrongCode());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("That code is not correct. Check the time on your phone and try the code it shows now.");
        assertThat(setsSession(wrong)).isFalse();

        server.clock().advance(Duration.ofSeconds(30));
        long signedInAt = server.clock().instant().getEpochSecond();
        Http.Response consent = flow.enterCode(wrong, person.app().code());
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(setsSession(consent)).isTrue();
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"").contains("Den TV");
        Map<String, Object> tokens = flow.exchange(client, flow.decide(consent, "allow"), "st");

        Map<String, Object> idToken = JwtClaims.of((String) tokens.get("id_token"));
        assertThat(idToken).containsEntry("amr", List.of("pwd", "otp", "mfa")).containsEntry("acr", "2")
                .containsEntry("auth_time", (int) signedInAt).containsEntry("nonce", "nn");
        // RFC 9068 §2.2.1: the JWT access token says how the person signed in too.
        assertThat(JwtClaims.of((String) tokens.get("access_token"))).containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("acr", "2").containsEntry("auth_time", (int) signedInAt);

        // A refreshed ID token keeps the sign-in it stands for (OIDC Core §12.2).
        server.clock().advance(Duration.ofMinutes(5));
        Http.Response refreshed = Accounts.refresh(server, client, (String) tokens.get("refresh_token"));
        assertThat(JwtClaims.of((String) refreshed.json().get("id_token"))).containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("acr", "2").containsEntry("auth_time", (int) signedInAt);
    }

    @Test
    void aPasswordAloneSaysSoInTheIdToken() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Map<String, Object> tokens = flow.exchange(client, flow.authorize(params(client), user.username(), TestServer.PASSWORD), "st");
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("amr", List.of("pwd")).containsEntry("acr", "1");
    }

    @Test
    void aWrongPasswordIsAnsweredAlikeWithOrWithoutASecondFactor() {
        TwoStepUser person = twoStepUser();
        User plain = server.createUser();
        TestClient client = server.client().create();
        List<String> answers = new java.util.ArrayList<>();
        for (User user : List.of(person.user(), plain)) {
            BrowserFlow flow = new BrowserFlow(server);
            Http.Response wrong = flow.signIn(flow.open(params(client)), user.username(), "not the password");
            assertThat(wrong.status()).isEqualTo(401);
            // Each sign-in form has its own CSRF token and passkey challenge; nothing else differs.
            answers.add(wrong.body().replace(HtmlForms.hiddenFields(wrong.body()).get("csrf_token"), "CSRF")
                    .replaceAll("&#34;challenge&#34;:&#34;[A-Za-z0-9_-]+&#34;", "CHALLENGE"));
        }
        assertThat(answers.get(0)).isEqualTo(answers.get(1)).doesNotContain("second_step");
    }

    @Test
    void aCodeIsAcceptedOnceAndNoEarlierCodeAfterIt() {
        TwoStepUser person = twoStepUser();
        TestClient client = server.client().create();
        String code = person.app().nextCode();
        BrowserFlow first = new BrowserFlow(server);
        Http.Response consent = first.enterCode(first.signIn(first.open(params(client)), person.user().username(), TestServer.PASSWORD), code);
        assertThat(consent.status()).isEqualTo(200);

        // Someone who saw the code, with the password, within its 90 seconds.
        BrowserFlow second = new BrowserFlow(server);
        Http.Response codePage = second.signIn(second.open(params(client)), person.user().username(), TestServer.PASSWORD);
        Http.Response replayed = second.enterCode(codePage, code);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.body()).contains("That code was used already. Wait for the next code and enter it.");
        assertThat(setsSession(replayed)).isFalse();

        // The next step's code is accepted at once (a clock a little ahead), and then the current one is older: refused.
        String early = person.app().codeAt(server.clock().instant().plusSeconds(30));
        assertThat(second.enterCode(replayed, early).status()).isEqualTo(200);
        BrowserFlow third = new BrowserFlow(server);
        Http.Response older = third.enterCode(third.signIn(third.open(params(client)), person.user().username(), TestServer.PASSWORD),
                person.app().code());
        assertThat(older.status()).isEqualTo(401);
        assertThat(older.body()).contains("That code was used already.");
    }

    @Test
    void aRecoveryCodeSignsInOnceInPlaceOfACode() {
        TwoStepUser person = twoStepUser();
        TestClient client = server.client().create();
        String recoveryCode = person.enabled().recoveryCodes().get(3);
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response codePage = flow.signIn(flow.open(params(client)), person.user().username(), TestServer.PASSWORD);
        // Typed as a person might: upper case, without the dashes.
        Http.Response consent = flow.enterCode(codePage, recoveryCode.replace("-", "").toUpperCase());
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        Map<String, Object> tokens = flow.exchange(client, flow.decide(consent, "allow"), "st");
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("amr", List.of("pwd", "otp", "mfa"));

        BrowserFlow again = new BrowserFlow(server);
        Http.Response used = again.enterCode(again.signIn(again.open(params(client)), person.user().username(), TestServer.PASSWORD),
                recoveryCode);
        assertThat(used.status()).isEqualTo(401);
        assertThat(used.body()).contains("That code is not correct.");
        assertThat(server.database().stores().secondFactors().unusedRecoveryCodes(person.user().id())).isEqualTo(9);
        assertThat(Accounts.signIn(server, Http.browser(), person.user().username(), TestServer.PASSWORD, person.app().nextCode()).body())
                .contains("9 of your recovery codes are left.");
    }

    @Test
    void theSecondStepBelongsToItsBrowserAndLastsFiveMinutes() {
        TwoStepUser person = twoStepUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response codePage = flow.signIn(flow.open(params(client)), person.user().username(), TestServer.PASSWORD);
        String secondStep = HtmlForms.hiddenFields(codePage.body()).get("second_step");

        // Another browser with a form token of its own, and the first one's second step.
        BrowserFlow other = new BrowserFlow(server);
        Http.Response otherLogin = other.open(params(client));
        Http.Response stolen = other.submit(otherLogin, Http.form("interaction", "login", "second_step", secondStep,
                "code", person.app().nextCode()));
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).contains("The sign-in took too long or the page is out of date. Sign in again.")
                .contains("type=\"password\"");
        assertThat(setsSession(stolen)).isFalse();

        server.clock().advance(Duration.ofMinutes(5).plusSeconds(1));
        Http.Response late = flow.enterCode(codePage, person.app().code());
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body()).contains("The sign-in took too long or the page is out of date. Sign in again.");
        // A forged field is refused alike.
        Http.Response forged = flow.submit(codePage, Http.form("second_step", secondStep.substring(0, secondStep.length() - 2) + "AA",
                "code", person.app().nextCode()));
        assertThat(forged.status()).isEqualTo(400);
    }

    @Test
    void theAccountAndDevicePagesAskForTheCodeToo() {
        TwoStepUser person = twoStepUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, person.user().email(), TestServer.PASSWORD, person.app().nextCode());
        assertThat(account.body()).contains("Signed in as <strong>" + person.user().username() + "</strong>");

        // The device page's sign-in keeps the code typed so far through the second step.
        TestClient device = server.client().grants(GrantType.DEVICE_CODE).create();
        Http.Response started = Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("scope", "openid"),
                "Authorization", device.basic());
        String userCode = (String) started.json().get("user_code");
        Http tv = Http.browser();
        Http.Response login = tv.get(server.url("/device?user_code=" + userCode));
        Map<String, String> form = HtmlForms.hiddenFields(login.body());
        form.putAll(Http.form("username", person.user().username(), "password", TestServer.PASSWORD));
        Http.Response codePage = tv.postForm(server.url("/device/login"), form);
        assertThat(codePage.status()).isEqualTo(200);
        assertThat(HtmlForms.hiddenFields(codePage.body())).containsEntry("user_code", userCode).containsKey("second_step");
        Map<String, String> second = HtmlForms.hiddenFields(codePage.body());
        second.put("code", person.app().nextCode());
        Http.Response back = tv.postForm(server.url("/device/login"), second);
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).isEqualTo("/device?user_code=" + userCode + "&lang=en_US");

        Http.Response confirm = tv.get(server.url(back.location()));
        Map<String, String> lookup = HtmlForms.hiddenFields(confirm.body());
        lookup.put("user_code", userCode);
        Http.Response decide = tv.postForm(server.url("/device"), lookup);
        Map<String, String> allow = HtmlForms.hiddenFields(decide.body());
        allow.put("decision", "allow");
        assertThat(tv.postForm(server.url("/device"), allow).status()).isEqualTo(200);
        server.clock().advance(Duration.ofSeconds(5));
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "device_code", (String) started.json().get("device_code")),
                "Authorization", device.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) token.json().get("id_token"))).containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("acr", "2");
    }

    @Test
    void thePasswordGrantRefusesAnAccountWithASecondFactorOnlyAfterItsRightPassword() {
        TwoStepUser person = twoStepUser();
        TestClient client = server.client().allowPassword().create();
        Http.Response wrong = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", person.user().username(), "password", "not the password"), "Authorization", client.basic());
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json()).isEqualTo(Map.of("error", "invalid_grant", "error_description", "the username or password is wrong"));

        Http.Response refused = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", person.user().username(), "password", TestServer.PASSWORD, "scope", "openid"), "Authorization", client.basic());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json()).isEqualTo(Map.of("error", "invalid_grant", "error_description",
                "the account signs in with a second factor, which the password grant cannot ask for; use the authorization code flow"));

        User plain = server.createUser();
        Http.Response granted = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", plain.username(), "password", TestServer.PASSWORD, "scope", "openid"), "Authorization", client.basic());
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) granted.json().get("id_token"))).containsEntry("amr", List.of("pwd")).containsEntry("acr", "1");
    }
}
