package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.protocol.Pkce;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code response_mode=form_post} (OAuth 2.0 Form Post Response Mode): the answer, a code or an
 * error, comes as a page whose one form posts its parameters to the redirect URI, submitted by
 * one inline script that the page's CSP allows by its hash. FormPostChromiumTest shows a real
 * browser doing so.
 */
class FormPostResponseModeTest {
    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">");
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    @CastgateServer static TestServer server;
    static TestClient web;

    @BeforeAll
    static void setUp() {
        web = server.client().redirectUris("https://app.example:8443/cb?tenant=7").create();
    }

    @Test
    void theCodeComesAsAFormThatPostsItself() {
        BrowserFlow flow = new BrowserFlow(server);
        User user = server.createUser();
        Http.Response login = flow.open(params("state", "st-1"));
        // The mode travels with the request through the sign-in and consent forms.
        assertThat(HtmlForms.hiddenFields(login.body())).containsEntry("response_mode", "form_post");
        Http.Response consent = flow.signIn(login, user.username(), TestServer.PASSWORD);

        Http.Response page = flow.decide(consent, "allow");

        Map<String, String> fields = assertFormPost(page, web.redirectUri());
        assertThat(fields.keySet()).containsExactly("code", "state", "iss");
        assertThat(fields).containsEntry("state", "st-1").containsEntry("iss", server.issuer());
        assertThat(fields.get("code")).matches("[0-9a-f]{40}");
        // The client exchanges it as any code.
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", fields.get("code"), "redirect_uri", web.redirectUri()), "Authorization", web.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);

        // Once allowed, a GET with a session answers with the form at once.
        Http.Response again = flow.open(params("state", "st-2"));
        assertThat(assertFormPost(again, web.redirectUri())).containsEntry("state", "st-2").containsKey("code");
    }

    @Test
    void aPushedRequestKeepsItsMode() {
        Http.Response pushed = Http.client().postForm(server.url("/oauth2/par"), Http.form("response_type", "code",
                "redirect_uri", web.redirectUri(), "state", "par-1", "response_mode", "form_post"), "Authorization", web.basic());
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        BrowserFlow flow = new BrowserFlow(server);
        User user = server.createUser();
        Http.Response login = flow.open(Http.form("client_id", web.id(), "request_uri", (String) pushed.json().get("request_uri")));
        Http.Response consent = flow.signIn(login, user.username(), TestServer.PASSWORD);

        assertThat(assertFormPost(flow.decide(consent, "allow"), web.redirectUri())).containsEntry("state", "par-1").containsKey("code");
    }

    @Test
    void stateIsEscapedNotRun() {
        String state = "\"><script>alert(1)</script>&amp;'<";
        Http.Response page = Http.client().get(Urls.withQuery(server.url("/authorize"), params("state", state, "prompt", "none")));

        Map<String, String> fields = assertFormPost(page, web.redirectUri());
        assertThat(fields).containsEntry("state", state).containsEntry("error", "login_required");
        assertThat(page.body()).doesNotContain("<script>alert");
    }

    @Test
    void everyErrorAfterTheRedirectUriIsVerifiedComesAsTheForm() {
        // Refused by the request's own checks ...
        Http.Response bad = Http.client().get(Urls.withQuery(server.url("/authorize"), params("state", "e1", "code_challenge_method", "plain",
                "code_challenge", Pkce.s256("a-verifier-of-at-least-forty-three-characters-0123456789"))));
        assertThat(assertFormPost(bad, web.redirectUri())).containsExactlyEntriesOf(Http.form("error", "invalid_request",
                "error_description", "code_challenge_method must be S256", "state", "e1", "iss", server.issuer()));
        // ... an unsupported response type, and after a POST too ...
        Http.Response posted = Http.client().postForm(server.url("/authorize"), params("response_type", "id_token", "state", "e2"));
        assertThat(assertFormPost(posted, web.redirectUri())).containsEntry("error", "unsupported_response_type").containsEntry("state", "e2");
        // ... prompt=none without a session ...
        Http.Response none = Http.client().get(Urls.withQuery(server.url("/authorize"), params("prompt", "none")));
        assertThat(assertFormPost(none, web.redirectUri())).containsExactlyEntriesOf(Http.form("error", "login_required",
                "error_description", "the user is not signed in", "iss", server.issuer()));
        // ... and the person's refusal.
        BrowserFlow flow = new BrowserFlow(server);
        User user = server.createUser();
        Http.Response consent = flow.signIn(flow.open(params("state", "e3")), user.username(), TestServer.PASSWORD);
        Http.Response denied = flow.decide(consent, "deny");
        assertThat(assertFormPost(denied, web.redirectUri())).containsExactlyEntriesOf(Http.form("error", "access_denied",
                "error_description", "the user denied the request", "state", "e3", "iss", server.issuer()));
    }

    @Test
    void aNativeAppsOwnSchemeIsTheFormsOnlyTarget() {
        TestClient app = server.client().nativeApp().redirectUris("com.example.app:/oauth").create();
        Http.Response page = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", app.id(),
                "response_type", "code", "response_mode", "form_post", "state", "n1", "prompt", "none",
                "code_challenge", Pkce.s256("a-verifier-of-at-least-forty-three-characters-0123456789"), "code_challenge_method", "S256")));

        assertThat(assertFormPost(page, "com.example.app:/oauth")).containsEntry("error", "login_required").containsEntry("state", "n1");
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("form-action com.example.app:;"));
    }

    @Test
    void anUnverifiedRedirectUriIsStillAPageWithNoForm() {
        Map<String, String> request = params("state", "u");
        request.put("redirect_uri", "https://attacker.example/cb");
        Http.Response page = Http.client().get(Urls.withQuery(server.url("/authorize"), request));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).doesNotContain("attacker.example").doesNotContain("<form").doesNotContain("<script");
    }

    @Test
    void anUnknownResponseModeIsInvalidRequestInTheQuery() {
        for (String mode : new String[] {"fragment", "fragment.jwt", "FORM_POST", "form_post "}) {
            Http.Response r = Http.client().get(Urls.withQuery(server.url("/authorize"), params("response_mode", mode, "state", "m")));
            assertThat(r.status()).as(mode).isEqualTo(302);
            assertThat(r.location()).startsWith(web.redirectUri() + "&");
            assertThat(r.locationParams()).containsEntry("tenant", "7").containsEntry("error", "invalid_request")
                    .containsEntry("error_description", "response_mode " + mode + " is not supported").containsEntry("state", "m")
                    .containsEntry("iss", server.issuer());
        }
        // query, asked for by name, is the default.
        Http.Response query = Http.client().get(Urls.withQuery(server.url("/authorize"), params("response_mode", "query", "prompt", "none")));
        assertThat(query.status()).isEqualTo(302);
        assertThat(query.locationParams()).containsEntry("error", "login_required");
    }

    @Test
    void theImplicitFlowsTokenCanComeAsTheFormToo() {
        TestClient legacy = server.client().allowImplicit().create();
        BrowserFlow flow = new BrowserFlow(server);
        User user = server.createUser();
        Map<String, String> request = new LinkedHashMap<>(Http.form("client_id", legacy.id(), "redirect_uri", legacy.redirectUri(),
                "response_type", "token", "scope", "email", "state", "i1", "response_mode", "form_post"));
        Http.Response consent = flow.signIn(flow.open(request), user.username(), TestServer.PASSWORD);

        Map<String, String> fields = assertFormPost(flow.decide(consent, "allow"), legacy.redirectUri());
        assertThat(fields.keySet()).containsExactly("access_token", "token_type", "expires_in", "scope", "state", "iss");
        assertThat(fields).containsEntry("token_type", "bearer").containsEntry("scope", "email").containsEntry("state", "i1");
        // Without response_mode it is the query, as the original service sent it.
        request.remove("response_mode");
        request.put("state", "i2");
        Http.Response redirect = flow.open(request);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.locationParams()).containsKeys("access_token", "token_type", "expires_in").containsEntry("state", "i2");
    }

    /**
     * The page's headers and its one form, and the form's fields: the page posts to
     * {@code action} alone, its one script allowed by its hash and nothing else.
     */
    static Map<String, String> assertFormPost(Http.Response page, String action) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.header("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.header("Cache-Control")).hasValue("no-store");
        assertThat(page.header("X-Frame-Options")).hasValue("DENY");
        String body = page.body();
        Matcher form = FORM.matcher(body);
        assertThat(form.find()).as(body).isTrue();
        assertThat(HtmlForms.unescapeText(form.group(1))).isEqualTo(action);
        assertThat(form.find()).as("one form").isFalse();
        Matcher script = SCRIPT.matcher(body);
        assertThat(script.find()).as(body).isTrue();
        String hash = sha256(script.group(1));
        assertThat(script.find()).as("one script").isFalse();
        assertThat(body).doesNotContain("<script src").contains("<noscript>").contains("<button type=\"submit\">");
        // The redirect URI's origin, or a native app's own scheme alone.
        int authority = action.indexOf("://");
        String origin = authority < 0 ? action.substring(0, action.indexOf(':') + 1) : action.substring(0, action.indexOf('/', authority + 3));
        assertThat(page.header("Content-Security-Policy")).hasValue("default-src 'none'; script-src 'sha256-" + hash + "'; "
                + "style-src 'self'; img-src 'self'; form-action " + origin + "; frame-ancestors 'none'; base-uri 'none'");
        return HtmlForms.hiddenFields(body);
    }

    private static String sha256(String script) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> params(String... extra) {
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", web.id(), "redirect_uri", web.redirectUri(),
                "response_type", "code", "response_mode", "form_post"));
        params.putAll(Http.form(extra));
        return params;
    }
}
