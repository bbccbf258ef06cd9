package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page of the second step, as a person meets it: a field for the code, a field of its own for
 * a recovery code (which has letters, so not a numeric keypad), a way out for someone who is not
 * the account's owner, and nothing that belongs to the password ("Forgot your password?"); in
 * each of the three languages.
 */
class SecondStepPageTest {
    /** Mail is written to the log here, so the sign-in form does offer "Forgot your password?". */
    @CastgateServer static TestServer server;

    private static final Pattern LEAVE = Pattern.compile("<p class=\"alt\">\n<a href=\"([^\"]*)\">([^<]*)</a>\n</p>");

    private static Authenticator.Enabled twoStep(User user) {
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        return Authenticator.enable(server, browser);
    }

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "sp");
        params.putAll(Http.form(extra));
        return params;
    }

    private static Matcher leave(Http.Response page) {
        Matcher m = LEAVE.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m;
    }

    private static boolean setsSession(Http.Response response) {
        return response.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("castgate_session="));
    }

    @Test
    void theCodePageOffersARecoveryCodeAndAWayOutButNoPasswordReset() {
        User user = server.createUser();
        Authenticator.Enabled enabled = twoStep(user);
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response signInPage = flow.open(params(client));
        assertThat(signInPage.body()).contains(">Forgot your password?</a>");

        Http.Response codePage = flow.signIn(signInPage, user.username(), TestServer.PASSWORD);
        assertThat(codePage.status()).isEqualTo(200);
        assertThat(codePage.body()).contains("<h1>Enter your code</h1>")
                .contains("<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\"")
                .contains("<p class=\"hint\">6 digits.</p>")
                .contains("<summary>Use a recovery code</summary>")
                .contains("<label for=\"recovery_code\">Recovery code</label>")
                .contains("<input id=\"recovery_code\" name=\"code\" type=\"text\" autocomplete=\"off\" autocapitalize=\"none\"")
                .contains(">Use the recovery code</button>")
                .doesNotContain("Forgot your password?").doesNotContain("/forgot-password").doesNotContain("type=\"password\"");
        // Both forms carry the request and the second step.
        assertThat(codePage.body().split("name=\"second_step\"", -1)).hasSize(3);
        assertThat(codePage.body().split("name=\"client_id\" value=\"" + client.id() + "\"", -1)).hasSize(3);

        // Someone else at this browser goes back to the sign-in form of the same request, with no session.
        Matcher out = leave(codePage);
        assertThat(out.group(2)).isEqualTo("Sign in as someone else");
        assertThat(out.group(1)).startsWith("/authorize?client_id=" + client.id() + "&amp;").endsWith("&amp;lang=en_US");
        Http.Response again = flow.http().get(server.url(out.group(1).replace("&amp;", "&")));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("<h1>Sign in</h1>").contains("type=\"password\"").doesNotContain("second_step");
        assertThat(setsSession(again)).isFalse();

        // The recovery code, typed in its own field, signs in as a code does.
        Http.Response viaRecovery = flow.enterCode(flow.signIn(again, user.username(), TestServer.PASSWORD),
                enabled.recoveryCodes().get(0).toUpperCase());
        assertThat(viaRecovery.status()).as(viaRecovery.body()).isEqualTo(200);
        assertThat(viaRecovery.body()).contains("name=\"interaction\" value=\"consent\"");
        assertThat(setsSession(viaRecovery)).isTrue();
    }

    @Test
    void aSessionSteppingUpIsOfferedToSignOutInstead() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator.enable(server, browser);
        TestClient client = server.client().create();
        Http.Response stepUp = new BrowserFlow(server, browser).open(params(client, "acr_values", "2", "lang", "de_DE"));
        assertThat(stepUp.status()).isEqualTo(200);
        assertThat(stepUp.body()).contains("<h1>Code eingeben</h1>").contains("<summary>Einen Wiederherstellungscode verwenden</summary>");
        Matcher out = leave(stepUp);
        assertThat(out.group(1)).isEqualTo("/logout?lang=de_DE");
        assertThat(out.group(2)).isEqualTo("Nicht Sie? Abmelden");
        Http.Response logout = browser.get(server.url(out.group(1)));
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.body()).contains("action=\"/logout\"");
    }

    @Test
    void everyTextOfThePageIsInEachLanguage() {
        User user = server.createUser();
        twoStep(user);
        Map<String, String[]> expected = Map.of(
                "en_US", new String[] {"Enter your code", "6 digits.", "Use a recovery code", "Recovery code", "Use the recovery code",
                        "Sign in as someone else"},
                "hu_HU", new String[] {"Adja meg a kódot", "6 számjegy.", "Helyreállító kód használata", "Helyreállító kód",
                        "Bejelentkezés más felhasználóként"},
                "de_DE", new String[] {"Code eingeben", "6 Ziffern.", "Einen Wiederherstellungscode verwenden", "Wiederherstellungscode",
                        "Wiederherstellungscode verwenden", "Als jemand anderes anmelden"});
        expected.forEach((lang, texts) -> {
            Http browser = Http.browser();
            Map<String, String> form = HtmlForms.hiddenFields(browser.get(server.url("/account?lang=" + lang)).body());
            form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
            Http.Response codePage = browser.postForm(server.url("/account/login"), form);
            assertThat(codePage.status()).isEqualTo(200);
            assertThat(codePage.body()).as(lang).contains(texts).contains("href=\"/account?lang=" + lang + "\">");
            if (!lang.equals("en_US")) {
                assertThat(codePage.body()).as(lang).doesNotContain("Use a recovery code").doesNotContain("Sign in as someone else")
                        .doesNotContain("Recovery code");
            }
        });
    }
}
