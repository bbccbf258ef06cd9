package dev.castgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production (an https issuer) without a mail server: no mail is written anywhere, so there is no
 * "Forgot password?", the recovery page says recovery is not available and whom to ask, the
 * email address cannot be changed on /account, and sign-up still works, unverified.
 */
class WithoutMailTest {
    @CastgateServer("CASTGATE_ISSUER=https://login.castgate.test") static TestServer server;

    /** A browser's cookies by hand: Secure cookies under the __Host- prefix, which a client keeps only for https. */
    private static final class Browser {
        private final Http http = Http.client();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Http.Response get(String path) { return keep(http.get(server.url(path), headers())); }

        Http.Response post(String path, Map<String, String> form) { return keep(http.postForm(server.url(path), form, headers())); }

        private String[] headers() {
            if (cookies.isEmpty()) return new String[0];
            return new String[] {"Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())};
        }

        private Http.Response keep(Http.Response response) {
            for (String cookie : response.headers("Set-Cookie")) {
                String pair = cookie.substring(0, cookie.indexOf(';'));
                cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            return response;
        }
    }

    @Test
    void thereIsNoForgotPasswordAndTheRecoveryPageSaysWhomToAsk() {
        TestClient client = server.client().create();
        Http.Response signIn = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                "redirect_uri", client.redirectUri(), "response_type", "code")));
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.body()).contains("action=\"/authorize\"").doesNotContain("forgot-password").doesNotContain("Forgot your password?");
        assertThat(Http.client().get(server.url("/account")).body()).doesNotContain("forgot-password");

        Http.Response page = Http.client().get(server.url("/forgot-password"));
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("<h1>Account recovery is not available</h1>").contains("This server is not set up to send mail, "
                + "so a forgotten password cannot be reset here. Ask the server's operator to reset it.");
        assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    }

    @Test
    void theEmailCannotBeChangedAndSignUpMailsNothing() {
        User user = server.createUser();
        Browser browser = new Browser();
        Map<String, String> form = HtmlForms.hiddenFields(browser.get("/account").body());
        form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        assertThat(browser.post("/account/login", form).status()).isEqualTo(303);
        Http.Response account = browser.get("/account");
        assertThat(account.body()).contains("The email address cannot be changed or confirmed here: this server does not send mail.")
                .doesNotContain("profile_password").doesNotContain("Send the link again");

        String csrf = HtmlForms.hiddenFields(account.body()).get("csrf_token");
        Http.Response change = browser.post("/account/profile", Http.form("csrf_token", csrf, "name", "", "email", "other-" + user.email(),
                "current_password", TestServer.PASSWORD));
        assertThat(change.status()).isEqualTo(400);
        assertThat(change.body()).contains("The email address cannot be changed here: this server does not send mail, so the new address "
                + "could not be confirmed. Ask the server's operator.");
        Http.Response rename = browser.post("/account/profile", Http.form("csrf_token", csrf, "name", "Renamed", "email", user.email()));
        assertThat(rename.status()).isEqualTo(200);
        assertThat(rename.body()).contains("Your profile is saved.");
        Http.Response password = browser.post("/account/password", Http.form("csrf_token", csrf, "current_password", TestServer.PASSWORD,
                "new_password", "another long password"));
        assertThat(password.status()).isEqualTo(200);

        Browser newcomer = new Browser();
        Map<String, String> signUp = HtmlForms.hiddenFields(newcomer.get("/signup").body());
        String username = "nomail" + Long.toHexString(System.nanoTime() & 0xffffff);
        signUp.putAll(Http.form("username", username, "email", username + "@example.com", "password", TestServer.PASSWORD));
        assertThat(newcomer.post("/signup", signUp).status()).isEqualTo(303);
        assertThat(server.database().stores().users().findByLogin(username).orElseThrow().emailVerified()).isFalse();
        for (String table : List.of("mail_outbox", "email_links")) assertThat(server.database().count(table)).as(table).isZero();
    }
}
