package dev.castgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The authorization-code flow over HTTP as a browser does it: open the authorization URL, post
 * the sign-in form, post the consent form, and read the redirect back to the client.
 */
public final class BrowserFlow {
    private final TestServer server;
    private final Http browser;

    public BrowserFlow(TestServer server) { this(server, Http.browser()); }

    /** The flow in a browser that is already in use, such as one signed in on the account page. */
    public BrowserFlow(TestServer server, Http browser) {
        this.server = server;
        this.browser = browser;
    }

    public Http http() { return browser; }

    public Http.Response open(Map<String, String> params) {
        return browser.get(Urls.withQuery(server.url("/authorize"), params));
    }

    /** Posts a page's form with its hidden fields plus {@code extra}. */
    public Http.Response submit(Http.Response page, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(page.body()));
        form.putAll(extra);
        return browser.postForm(server.url("/authorize"), form);
    }

    public Http.Response signIn(Http.Response loginPage, String username, String password) {
        assertThat(loginPage.body()).contains("name=\"interaction\" value=\"login\"");
        return submit(loginPage, Http.form("username", username, "password", password));
    }

    /** Posts the second step's form (after a right password, or a step-up) with a code. */
    public Http.Response enterCode(Http.Response codePage, String code) {
        assertThat(codePage.body()).contains("name=\"second_step\"");
        return submit(codePage, Http.form("code", code));
    }

    public Http.Response decide(Http.Response consentPage, String decision) {
        assertThat(consentPage.body()).contains("name=\"interaction\" value=\"consent\"");
        return submit(consentPage, Http.form("decision", decision));
    }

    /** Signs in, allows, and returns the redirect to the client. */
    public Http.Response authorize(Map<String, String> params, String username, String password) {
        Http.Response login = open(params);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        Http.Response consent = signIn(login, username, password);
        if (consent.status() == 303) return consent; // consent remembered
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        Http.Response redirect = decide(consent, "allow");
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
        return redirect;
    }

    /** The token response for the code a redirect brought (its state checked), exchanged by the client. */
    public Map<String, Object> exchange(TestClient client, Http.Response redirect, String expectedState) {
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", code(redirect, expectedState), "redirect_uri", client.redirectUri()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json();
    }

    /** The code from a redirect, after checking state and iss came back. */
    public String code(Http.Response redirect, String expectedState) {
        Map<String, String> params = redirect.locationParams();
        assertThat(params).containsEntry("iss", server.issuer());
        if (expectedState != null) assertThat(params).containsEntry("state", expectedState);
        assertThat(params.get("code")).matches("[0-9a-f]{40}");
        return params.get("code");
    }
}
