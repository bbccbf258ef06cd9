package dev.castgate.session;

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
 * The CSRF token is bound to the browser's session and renewed at sign-in (security review §15):
 * a token from before the sign-in, or one that belongs with another browser's cookie, is refused.
 * Cookies are handled by hand here, so a test can plant one browser's cookie in another.
 */
class CsrfBindingTest {
    @CastgateServer static TestServer server;

    /** A browser by hand: its cookies by name, and the last page it was shown. */
    private static final class Browser {
        final Map<String, String> cookies = new LinkedHashMap<>();
        final Http http = Http.client();

        Http.Response get(String url) { return remember(http.get(url, cookieHeader())); }

        Http.Response post(String path, Map<String, String> form) { return remember(http.postForm(server.url(path), form, cookieHeader())); }

        String[] cookieHeader() {
            if (cookies.isEmpty()) return new String[0];
            return new String[] {"Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())};
        }

        Http.Response remember(Http.Response r) {
            for (String set : r.headers("Set-Cookie")) {
                String pair = set.substring(0, set.indexOf(';'));
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty()) cookies.remove(name); else cookies.put(name, value);
            }
            return r;
        }
    }

    private static Map<String, String> params(TestClient client) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code", "scope", "openid",
                "state", "st");
    }

    private static Map<String, String> fields(Http.Response page, String... extra) {
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(page.body()));
        form.putAll(Http.form(extra));
        return form;
    }

    /** Signs a fresh browser in through /authorize; answers the consent page it ends on. */
    private static Http.Response signedInConsent(Browser browser, TestClient client, User user) {
        Http.Response login = browser.get(Urls.withQuery(server.url("/authorize"), params(client)));
        Http.Response consent = browser.post("/authorize", fields(login, "username", user.username(), "password", TestServer.PASSWORD));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
        return consent;
    }

    @Test
    void aTokenFromBeforeTheSignInIsRefusedAfterIt() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Browser browser = new Browser();
        Http.Response login = browser.get(Urls.withQuery(server.url("/authorize"), params(client)));
        String before = HtmlForms.hiddenFields(login.body()).get("csrf_token");
        Http.Response consent = browser.post("/authorize", fields(login, "username", user.username(), "password", TestServer.PASSWORD));
        assertThat(consent.status()).isEqualTo(200);
        String after = HtmlForms.hiddenFields(consent.body()).get("csrf_token");
        assertThat(after).isNotEqualTo(before);

        Http.Response stale = browser.post("/authorize", fields(consent, "decision", "allow", "csrf_token", before));
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.body()).contains("This form has expired");
        Http.Response fresh = browser.post("/authorize", fields(consent, "decision", "allow"));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(303);
        assertThat(fresh.locationParams()).containsKey("code");
    }

    @Test
    void anotherBrowsersCookieAndTokenAreRefusedWithThisSession() {
        User victim = server.createUser();
        TestClient client = server.client().create();
        Browser browser = new Browser();
        Http.Response consent = signedInConsent(browser, client, victim);

        // The attacker's own pair, obtained from the server, planted beside the victim's session.
        Browser attacker = new Browser();
        Http.Response attackersPage = attacker.get(Urls.withQuery(server.url("/authorize"), params(client)));
        String attackersToken = HtmlForms.hiddenFields(attackersPage.body()).get("csrf_token");
        String csrfCookie = browser.cookies.keySet().stream().filter(n -> n.contains("csrf")).findFirst().orElseThrow();
        browser.cookies.put(csrfCookie, attacker.cookies.get(csrfCookie));

        Http.Response forged = browser.post("/authorize", fields(consent, "decision", "allow", "csrf_token", attackersToken));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.header("Location")).isEmpty();
    }

    @Test
    void aSignedInFormsTokenDoesNotOutliveItsSession() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Browser browser = new Browser();
        Http.Response consent = signedInConsent(browser, client, user);
        String token = HtmlForms.hiddenFields(consent.body()).get("csrf_token");

        // Signed out and in again (a new session): the old page's token no longer counts.
        Http.Response logout = browser.get(server.url("/logout"));
        Http.Response out = browser.post("/logout", Http.form("csrf_token", HtmlForms.hiddenFields(logout.body()).get("csrf_token")));
        assertThat(out.status()).isIn(200, 303);
        Http.Response again = signedInConsent(browser, client, user);
        for (String path : List.of("/authorize", "/account/profile", "/logout")) {
            Map<String, String> form = path.equals("/authorize") ? fields(again, "decision", "allow", "csrf_token", token)
                    : Http.form("csrf_token", token, "email", "x@example.com");
            assertThat(browser.post(path, form).status()).as(path).isEqualTo(403);
        }
    }
}
