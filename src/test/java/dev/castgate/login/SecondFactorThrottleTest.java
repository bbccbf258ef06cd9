package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Wrong second-factor codes are throttled like passwords (login.Throttle: recorded first, then
 * decided): per account from one address, per account from every address, per address; codes
 * sent at once are checked no further than the limit; nothing outlives the window.
 */
class SecondFactorThrottleTest {
    private static Authenticator twoStep(TestServer server, User user) {
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        return Authenticator.enable(server, browser).app();
    }

    private static Map<String, String> params(TestClient client) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code", "scope", "openid");
    }

    private static List<String> auditFor(TestServer server, User user, Instant since) {
        return server.database().stores().audit().list(since, 1000).stream().filter(e -> e.userId().equals(Optional.of(user.id())))
                .map(e -> e.type() + " " + e.outcome() + " " + e.detail().orElse("")).toList();
    }

    @Test
    void wrongCodesFromOneAddressAreRefusedPastTheLimitUntilTheWindowEnds(@CastgateServer TestServer server) {
        User user = server.createUser();
        Authenticator app = twoStep(server, user);
        TestClient client = server.client().create();
        Instant before = server.clock().instant();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response page = flow.signIn(flow.open(params(client)), user.username(), TestServer.PASSWORD);
        for (int i = 0; i < 5; i++) {
            page = flow.enterCode(page, app.wrongCode());
            assertThat(page.status()).as("wrong code " + (i + 1)).isEqualTo(401);
        }
        Http.Response refused = flow.enterCode(page, app.nextCode());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("Too many wrong codes. Wait 15 minutes and try again.");
        assertThat(auditFor(server, user, before)).endsWith("LOGIN SUCCESS ",
                "SECOND_FACTOR FAILURE wrong code", "SECOND_FACTOR FAILURE wrong code", "SECOND_FACTOR FAILURE wrong code",
                "SECOND_FACTOR FAILURE wrong code", "SECOND_FACTOR FAILURE wrong code", "LOGIN_THROTTLED FAILURE second factor");

        server.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
        BrowserFlow later = new BrowserFlow(server);
        Http.Response consent = later.enterCode(later.signIn(later.open(params(client)), user.username(), TestServer.PASSWORD),
                app.nextCode());
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
    }

    @Test
    void wrongCodesAndWrongPasswordsCountTogetherAgainstTheAddress(
            @CastgateServer("CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=4") TestServer server) {
        User twoStep = server.createUser();
        Authenticator app = twoStep(server, twoStep);
        User other = server.createUser();
        TestClient client = server.client().create();
        for (int i = 0; i < 2; i++) {
            BrowserFlow flow = new BrowserFlow(server);
            assertThat(flow.signIn(flow.open(params(client)), other.username(), "not the password").status()).isEqualTo(401);
        }
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response page = flow.signIn(flow.open(params(client)), twoStep.username(), TestServer.PASSWORD);
        for (int i = 0; i < 2; i++) {
            page = flow.enterCode(page, app.wrongCode());
            assertThat(page.status()).isEqualTo(401);
        }
        // Four failures from this address, two of each: neither a right code nor a right password gets through.
        Http.Response code = flow.enterCode(page, app.nextCode());
        assertThat(code.status()).isEqualTo(429);
        assertThat(code.body()).contains("Too many wrong codes. Wait 15 minutes and try again.");
        BrowserFlow password = new BrowserFlow(server);
        Http.Response signIn = password.signIn(password.open(params(client)), other.username(), TestServer.PASSWORD);
        assertThat(signIn.status()).isEqualTo(429);
        assertThat(signIn.body()).contains("Too many failed sign-ins. Wait 15 minutes and try again.");
    }

    @Test
    void codesSentAtOnceAreCheckedNoFurtherThanTheLimit(@CastgateServer TestServer server) throws Exception {
        User user = server.createUser();
        Authenticator app = twoStep(server, user);
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response page = flow.signIn(flow.open(params(server.client().create())), user.username(), TestServer.PASSWORD);
        String wrong = app.wrongCode();
        List<Integer> statuses = AtOnce.send(12, () -> flow.enterCode(page, wrong).status());
        assertThat(statuses).filteredOn(s -> s == 401).as("checked").hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).as("refused unchecked").hasSize(7);
    }

    @Test
    void theAccountsLimitHoldsFromEveryAddressUnlikeAPasswordsCeiling(
            @CastgateServer("CASTGATE_HTTP_TRUSTED_PROXIES=127.0.0.1") TestServer server) {
        User user = server.createUser();
        Authenticator app = twoStep(server, user);
        TestClient client = server.client().create();
        // The password is known to whoever gets this far: one guess from each of 20 addresses...
        for (int i = 1; i <= 20; i++) {
            assertThat(codeFrom(server, client, user, "198.51.100." + i, app.wrongCode()).status()).isEqualTo(401);
        }
        // ...and the account takes no more codes, from a fresh address either, the right one included.
        Http.Response refused = codeFrom(server, client, user, "203.0.113.7", app.nextCode());
        assertThat(refused.status()).isEqualTo(429);
        // The operator can forget them (castgate user unlock does this).
        SignInKeys.unlock(server.database().stores().loginFailures(), user);
        assertThat(codeFrom(server, client, user, "203.0.113.7", app.nextCode()).status()).isEqualTo(200);
    }

    /** A sign-in from {@code address}: the right password, then {@code code}. */
    private static Http.Response codeFrom(TestServer server, TestClient client, User user, String address, String code) {
        Http browser = Http.browser();
        Http.Response login = browser.get(dev.castgate.testing.Urls.withQuery(server.url("/authorize"), params(client)),
                "X-Forwarded-For", address);
        Map<String, String> form = HtmlForms.hiddenFields(login.body());
        form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        Http.Response codePage = browser.postForm(server.url("/authorize"), form, "X-Forwarded-For", address);
        assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
        Map<String, String> second = HtmlForms.hiddenFields(codePage.body());
        second.put("code", code);
        return browser.postForm(server.url("/authorize"), second, "X-Forwarded-For", address);
    }
}
