package dev.castgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** The account pages over HTTP as a browser uses them, and the tokens a client holds, for the account and sign-up tests. */
public final class Accounts {
    private Accounts() {}

    /** Tokens a client got for a user through the browser flow on {@code flow}'s browser. */
    public record Tokens(String accessToken, String refreshToken) {}

    /** Signs in on the account page's own form; returns the account page. */
    public static Http.Response signIn(TestServer server, Http browser, String login, String password) {
        Http.Response page = browser.get(server.url("/account"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/account/login\"");
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("username", login);
        form.put("password", password);
        Http.Response signedIn = browser.postForm(server.url("/account/login"), form);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.location()).startsWith("/account");
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.body()).contains("action=\"/account/profile\"");
        return account;
    }

    /**
     * Signs in on the account page's own form to an account with a second factor: the password,
     * then the code; returns the account page.
     */
    public static Http.Response signIn(TestServer server, Http browser, String login, String password, String code) {
        Http.Response page = browser.get(server.url("/account"));
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("username", login);
        form.put("password", password);
        Http.Response codePage = browser.postForm(server.url("/account/login"), form);
        assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
        Map<String, String> second = HtmlForms.hiddenFields(codePage.body());
        assertThat(second).containsKey("second_step");
        second.put("code", code);
        Http.Response signedIn = browser.postForm(server.url("/account/login"), second);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        return browser.get(server.url("/account"));
    }

    /** The CSRF token the page's forms carry. */
    public static String csrf(Http.Response page) {
        String token = HtmlForms.hiddenFields(page.body()).get("csrf_token");
        assertThat(token).as("csrf_token on the page").isNotNull();
        return token;
    }

    /** Authorizes the client for the user in {@code flow}'s browser and exchanges the code. */
    public static Tokens authorize(TestServer server, BrowserFlow flow, TestClient client, String scope, String deviceName,
                                   String username) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", scope, "state", "s1");
        if (deviceName != null) params.put("device_name", deviceName);
        Http.Response login = flow.open(params);
        Http.Response redirect;
        if (login.status() == 302 || login.status() == 303) { // signed in, and the consent remembered
            redirect = login;
        } else if (login.body().contains("name=\"interaction\" value=\"consent\"")) {
            redirect = flow.decide(login, "allow");
        } else {
            Http.Response consent = flow.signIn(login, username, TestServer.PASSWORD);
            redirect = consent.status() == 303 ? consent : flow.decide(consent, "allow");
        }
        String code = flow.code(redirect, "s1");
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return new Tokens((String) token.json().get("access_token"), (String) token.json().get("refresh_token"));
    }

    public static Http.Response refresh(TestServer server, TestClient client, String refreshToken) {
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "refresh_token", "refresh_token", refreshToken),
                "Authorization", client.basic());
    }

    public static Http.Response userinfo(TestServer server, String accessToken) {
        return Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + accessToken);
    }
}
