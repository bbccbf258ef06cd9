package dev.castgate.authorize;

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
import dev.castgate.testing.Urls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The browser-facing protections of the sign-in, consent and error pages (RFC 9700 §4.16, §4.4;
 * OWASP): no framing, no caching, a strict CSP, cookies out of scripts' and other sites' reach,
 * and every value a client sends escaped in the HTML.
 */
class PageSecurityTest {
    private static final String HOSTILE = "\"><script>alert('x')</script><img src=x onerror=alert(1)>&amp;";

    @CastgateServer static TestServer server;

    @Test
    void loginPageHeaders() {
        TestClient client = server.client().create();
        Http.Response login = new BrowserFlow(server).open(params(client));
        assertThat(login.status()).isEqualTo(200);
        assertSignInPageHeaders(login);
        // Forms may post to the server itself and end at the client's redirect URI, nowhere else.
        assertThat(csp(login)).contains("form-action 'self' http://127.0.0.1:9;");
    }

    @Test
    void consentPageHeaders() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client)), user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
        assertPageHeaders(consent);
        assertThat(csp(consent)).contains("form-action 'self' http://127.0.0.1:9;");
    }

    @Test
    void errorPageHeaders() {
        Http.Response error = Http.client().get(server.url("/authorize?response_type=code"));
        assertThat(error.status()).isEqualTo(400);
        assertPageHeaders(error);
        assertThat(csp(error)).contains("form-action 'self';");
    }

    @Test
    void failedSignInAndExpiredFormPagesHaveTheSameHeaders() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client));

        Http.Response wrong = browser.signIn(login, user.username(), "not the password");
        assertThat(wrong.status()).isEqualTo(401);
        assertSignInPageHeaders(wrong);

        Http.Response forged = browser.submit(login, Http.form("username", user.username(), "password", TestServer.PASSWORD,
                "csrf_token", "forged"));
        assertThat(forged.status()).isEqualTo(403);
        assertPageHeaders(forged);
    }

    @Test
    void thePasskeyScriptIsServedFromTheJarAsJavaScript() {
        Http.Response script = Http.client().get(server.url("/static/passkeys.js"));
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(script.body()).startsWith("// Castgate's one script").contains("navigator.credentials.get(");
    }

    @Test
    void notFoundPageOnABrowserPathHasTheSameHeaders() {
        Http.Response page = Http.client().get(server.url("/"));
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertPageHeaders(page);
    }

    @Test
    void theStylesheetThePagesUseIsServedFromTheServer() {
        Http.Response login = new BrowserFlow(server).open(params(server.client().create()));
        assertThat(login.body()).contains("<link rel=\"stylesheet\" href=\"/static/castgate.css\">");
        Http.Response css = Http.client().get(server.url("/static/castgate.css"));
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(css.header("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(css.body()).startsWith("* { box-sizing: border-box; }");
        String etag = css.header("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{24}\"");

        Http.Response again = Http.client().get(server.url("/static/castgate.css"), "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        Http.Response amongOthers = Http.client().get(server.url("/static/castgate.css"), "If-None-Match", "\"other\", W/" + etag);
        assertThat(amongOthers.status()).isEqualTo(304);
        assertThat(amongOthers.header("ETag")).hasValue(etag);
        Http.Response changed = Http.client().get(server.url("/static/castgate.css"), "If-None-Match", "\"other\"");
        assertThat(changed.status()).isEqualTo(200);
    }

    @Test
    void aStaticFileThatDoesNotExistIsNotFound() {
        assertThat(Http.client().get(server.url("/static/nothing.css")).status()).isEqualTo(404);
        assertThat(Http.client().get(server.url("/static/../castgate.css")).status()).isEqualTo(404);
    }

    @Test
    void csrfCookieIsHttpOnlyAndStrict() {
        TestClient client = server.client().create();
        Http.Response login = new BrowserFlow(server).open(params(client));
        String cookie = setCookie(login, "castgate_csrf");
        assertThat(attributes(cookie)).contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
        // The hidden field is bound to the cookie and the session, not a copy of the cookie (CsrfBindingTest).
        String value = cookie.substring("castgate_csrf=".length(), cookie.indexOf(';'));
        assertThat(HtmlForms.hiddenFields(login.body()).get("csrf_token")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(value);
    }

    @Test
    void sessionCookieIsHttpOnlyAndLax() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client)), user.username(), TestServer.PASSWORD);
        String cookie = setCookie(consent, "castgate_session");
        // Lax, so the session comes along when a client's link brings the person here.
        assertThat(attributes(cookie)).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
        assertThat(cookie).matches("castgate_session=[A-Za-z0-9_-]{43};.*");
    }

    @Test
    void httpsIssuerMakesCookiesSecureWithTheHostPrefix(@CastgateServer("CASTGATE_ISSUER=https://login.castgate.test") TestServer https) {
        User user = https.createUser();
        TestClient client = https.client().create();
        // Cookies are handled by hand: a client does not send Secure cookies over plain http.
        Http http = Http.client();
        Http.Response login = http.get(Urls.withQuery(https.url("/authorize"), params(client)));
        String csrf = setCookie(login, "__Host-castgate_csrf");
        assertThat(attributes(csrf)).contains("HttpOnly", "SameSite=Strict", "Secure", "Path=/").noneMatch(a -> a.startsWith("Domain"));

        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(login.body()));
        form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        Http.Response consent = http.postForm(https.url("/authorize"), form, "Cookie", csrf.substring(0, csrf.indexOf(';')));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        String session = setCookie(consent, "__Host-castgate_session");
        assertThat(attributes(session)).contains("HttpOnly", "SameSite=Lax", "Secure", "Path=/").noneMatch(a -> a.startsWith("Domain"));
    }

    @Test
    void successfulRedirectsAreNotStored() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response afterConsent = browser.authorize(params(client, "state", "ns"), user.username(), TestServer.PASSWORD);
        assertThat(afterConsent.status()).isEqualTo(303);
        assertThat(afterConsent.header("Cache-Control")).hasValue("no-store");
        assertThat(afterConsent.header("Referrer-Policy")).hasValue("no-referrer");
        browser.code(afterConsent, "ns");

        Http.Response remembered = browser.open(params(client, "state", "ns2"));
        assertThat(remembered.status()).isEqualTo(302);
        assertThat(remembered.header("Cache-Control")).hasValue("no-store");
        browser.code(remembered, "ns2");
    }

    @Test
    void hostileValuesAreEscapedOnTheLoginPageAndRoundTripIntact() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client, "state", HOSTILE, "nonce", HOSTILE, "login_hint", HOSTILE));
        assertThat(login.status()).isEqualTo(200);
        assertNoMarkupInjected(login.body());
        Map<String, String> hidden = HtmlForms.hiddenFields(login.body());
        assertThat(hidden).containsEntry("state", HOSTILE).containsEntry("nonce", HOSTILE).containsEntry("login_hint", HOSTILE);

        Http.Response consent = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertNoMarkupInjected(consent.body());
        Http.Response redirect = browser.decide(consent, "allow");
        // The state comes back to the client byte for byte.
        browser.code(redirect, HOSTILE);
    }

    @Test
    void deviceNameIsEscapedOnTheConsentPage() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        String deviceName = "<b>TV</b> & \"Den\"";
        Http.Response consent = browser.signIn(browser.open(params(client, "device_name", deviceName)), user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).doesNotContain("<b>TV</b>").contains("&lt;b&gt;TV&lt;/b&gt; &amp; ");
        assertThat(HtmlForms.hiddenFields(consent.body())).containsEntry("device_name", deviceName);
    }

    @Test
    void theSecondFactorPagesHaveTheSameHeadersAndTheQrCodeIsInlineMarkup() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Http.Response setup = browser.postForm(server.url("/account/second-factor/begin"), HtmlForms.hiddenFields(account.body()));
        assertThat(setup.status()).isEqualTo(200);
        assertPageHeaders(setup);
        // Drawn on the server into the page: no script, and nothing the CSP would have to let in.
        assertThat(setup.body()).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"").doesNotContain("<script").doesNotContain("<img")
                .doesNotContain("otpauth:");
        Map<String, String> confirm = HtmlForms.hiddenFields(setup.body());
        confirm.put("code", new Authenticator(Authenticator.secretOn(setup.body()), server.clock()).code());
        Http.Response codes = browser.postForm(server.url("/account/second-factor/confirm"), confirm);
        assertThat(codes.status()).isEqualTo(200);
        assertPageHeaders(codes);

        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response codePage = flow.signIn(flow.open(params(client, "state", HOSTILE)), user.username(), TestServer.PASSWORD);
        assertThat(codePage.status()).isEqualTo(200);
        assertPageHeaders(codePage);
        assertThat(csp(codePage)).contains("form-action 'self' http://127.0.0.1:9;");
        assertNoMarkupInjected(codePage.body());
        assertThat(HtmlForms.hiddenFields(codePage.body())).containsEntry("state", HOSTILE);
        Http.Response wrong = flow.enterCode(codePage, "not a code");
        assertThat(wrong.status()).isEqualTo(401);
        assertPageHeaders(wrong);

        User withoutSecondFactor = server.createUser();
        BrowserFlow other = new BrowserFlow(server);
        Http.Response required = other.signIn(other.open(params(client, "claims",
                "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"2\"]}}}")), withoutSecondFactor.username(),
                TestServer.PASSWORD);
        assertThat(required.status()).isEqualTo(403);
        assertPageHeaders(required);
        assertThat(csp(required)).contains("form-action 'self' http://127.0.0.1:9;");
    }

    @Test
    void theRecoveryAndVerificationPagesHaveTheSameHeaders() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response forgot = browser.get(server.url("/forgot-password"));
        assertThat(forgot.status()).isEqualTo(200);
        assertPageHeaders(forgot);
        assertThat(csp(forgot)).contains("form-action 'self';");
        Map<String, String> form = HtmlForms.hiddenFields(forgot.body());
        form.put("login", user.username());
        Http.Response sent = browser.postForm(server.url("/forgot-password"), form);
        assertThat(sent.status()).isEqualTo(200);
        assertPageHeaders(sent);
        for (String path : List.of("/reset-password?token=x", "/verify-email?token=x")) {
            Http.Response unusable = browser.get(server.url(path));
            assertThat(unusable.status()).as(path).isEqualTo(400);
            assertPageHeaders(unusable);
        }
        Http.Response forged = browser.postForm(server.url("/reset-password"), Http.form("csrf_token", "forged", "token", "x"));
        assertThat(forged.status()).isEqualTo(403);
        assertPageHeaders(forged);
    }

    @Test
    void hostileValuesAreEscapedOnTheRecoveryPageAndCarriedIntact() {
        TestClient client = server.client().create();
        Http.Response forgot = Http.browser().get(Urls.withQuery(server.url("/forgot-password"),
                params(client, "state", HOSTILE, "login_hint", HOSTILE)));
        assertThat(forgot.status()).isEqualTo(200);
        assertNoMarkupInjected(forgot.body());
        assertThat(HtmlForms.hiddenFields(forgot.body())).containsEntry("state", HOSTILE).containsEntry("login_hint", HOSTILE);
    }

    // ---- helpers ----

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code"));
        params.putAll(Http.form(extra));
        return params;
    }

    private static void assertPageHeaders(Http.Response page) {
        assertPageHeaders(page, false);
    }

    /** A sign-in page, which offers a passkey: it may load the server's own script file, and nothing else. */
    private static void assertSignInPageHeaders(Http.Response page) {
        assertPageHeaders(page, true);
    }

    private static void assertPageHeaders(Http.Response page, boolean passkeyScript) {
        assertThat(page.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        String csp = csp(page);
        assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'none'").contains("base-uri 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        if (passkeyScript) {
            assertThat(csp).contains("; script-src 'self';");
            assertThat(page.body()).contains("<script src=\"/static/passkeys.js\" defer></script>");
        } else {
            assertThat(csp).doesNotContain("script-src");
            assertThat(page.body()).doesNotContain("<script");
        }
        assertThat(page.header("X-Frame-Options")).hasValue("DENY");
        assertThat(page.header("Cache-Control")).hasValue("no-store");
        assertThat(page.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.header("Referrer-Policy")).hasValue("no-referrer");
    }

    private static String csp(Http.Response page) {
        List<String> values = page.headers("Content-Security-Policy");
        assertThat(values).as("exactly one Content-Security-Policy header").hasSize(1);
        return values.get(0) + ";";
    }

    private static String setCookie(Http.Response response, String name) {
        List<String> cookies = response.headers("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).toList();
        assertThat(cookies).as("Set-Cookie " + name).hasSize(1);
        return cookies.get(0);
    }

    private static List<String> attributes(String cookie) {
        return List.of(cookie.split(";\\s*")).subList(1, cookie.split(";\\s*").length);
    }

    private static void assertNoMarkupInjected(String html) {
        assertThat(html.replace("<script src=\"/static/passkeys.js\" defer></script>", "")).doesNotContain("<script").doesNotContain("<img").doesNotContain("\"><");
    }
}
