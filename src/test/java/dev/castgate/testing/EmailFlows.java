package dev.castgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flows that mailed links take part in, over HTTP as a browser takes them: signing up,
 * following a verification link and confirming, asking for a recovery link, setting a new password
 * with one; and the tokens and ID token claims a client gets afterwards.
 */
public final class EmailFlows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmailFlows() {}

    /** Signs up on /signup in {@code browser}, in the language {@code lang}; answers the form's answer (303 when created). */
    public static Http.Response signUp(TestServer server, Http browser, String username, String email, String lang) {
        Http.Response page = browser.get(server.url("/signup?lang=" + lang));
        assertThat(page.status()).isEqualTo(200);
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.putAll(Http.form("username", username, "email", email, "name", "", "password", TestServer.PASSWORD));
        return browser.postForm(server.url("/signup"), form);
    }

    /** Opens a verification link and presses its button; answers the page the button led to. */
    public static Http.Response confirm(TestServer server, Http browser, String link) {
        Http.Response page = browser.get(link);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/verify-email\">");
        return browser.postForm(server.url("/verify-email"), HtmlForms.hiddenFields(page.body()));
    }

    /** Asks for a recovery link for {@code login} from the page at {@code path} (the form's query carrying where the person was). */
    public static Http.Response requestRecovery(TestServer server, Http browser, String path, String login) {
        Http.Response page = browser.get(server.url(path));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("login", login);
        return browser.postForm(server.url("/forgot-password"), form);
    }

    /** Opens a recovery link and sets {@code password}, ticking "end every app's access" when asked; answers the result. */
    public static Http.Response reset(TestServer server, Http browser, String link, String password, boolean endApps) {
        Http.Response page = browser.get(link);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/reset-password\">");
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(page.body()));
        form.put("new_password", password);
        if (endApps) form.put("end_apps", "yes");
        return browser.postForm(server.url("/reset-password"), form);
    }

    /** The token response a client gets for {@code scope} after the person signs in (in a browser of its own) and allows. */
    public static Map<String, Object> tokens(TestServer server, TestClient client, String scope, String login, String password) {
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response redirect = flow.authorize(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", scope, "state", "st"), login, password);
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", flow.code(redirect, "st"), "redirect_uri", client.redirectUri()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json();
    }

    /** An ID token's claims, read without checking its signature (IdTokenTest checks those). */
    public static Map<String, Object> claims(Object idToken) {
        String payload = String.valueOf(idToken).split("\\.")[1];
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(payload), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JWT: " + idToken, e);
        }
    }
}
