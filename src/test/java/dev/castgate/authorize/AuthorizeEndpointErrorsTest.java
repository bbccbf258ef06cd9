package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.protocol.Pkce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the authorization endpoint refuses requests. Until the client and redirect URI are verified
 * it shows an error page and never redirects (RFC 6749 §4.1.2.1, RFC 9700 §4.1); after that, every
 * error goes back to the verified redirect URI with error, error_description, state and iss (RFC 9207).
 */
class AuthorizeEndpointErrorsTest {
    private static final String CHALLENGE = Pkce.s256("a-verifier-of-at-least-forty-three-characters-0123456789");
    private static final String INVALID_LINK = "This sign-in link is not valid";

    @CastgateServer static TestServer server;
    static TestClient web;
    static TestClient nativeApp;

    @BeforeAll
    static void setUp() {
        web = server.client().create();
        nativeApp = server.client().nativeApp().redirectUris("http://127.0.0.1:53100/callback", "com.example.app:/oauth").create();
    }

    // ---- errors shown as a page: the client or redirect URI is not verified ----

    @Test
    void missingClientIdIsAPage() {
        assertErrorPage(get(Http.form("redirect_uri", web.redirectUri(), "response_type", "code", "state", "s")),
                "The request does not name a client (client_id is missing).");
    }

    @Test
    void emptyClientIdIsAPage() {
        assertErrorPage(get(Http.form("client_id", "", "redirect_uri", web.redirectUri(), "response_type", "code")),
                "The request does not name a client (client_id is missing).");
    }

    @Test
    void unknownClientIsAPage() {
        assertErrorPage(get(Http.form("client_id", "0123456789abcdef0123456789abcdef01234567", "redirect_uri", web.redirectUri(),
                "response_type", "code", "state", "s")), "The application that sent you here is not registered.");
    }

    @Test
    void unregisteredRedirectUriIsAPage() {
        assertErrorPage(get(Http.form("client_id", web.id(), "redirect_uri", "https://attacker.example/callback",
                "response_type", "code", "state", "s")), "The application asked to return to an address it has not registered.");
    }

    @Test
    void redirectUriMatchesExactlyNotByPrefixOrCase() {
        for (String near : new String[] {web.redirectUri() + "/more", web.redirectUri() + "?x=1", web.redirectUri() + "#f",
                web.redirectUri().replace("callback", "CALLBACK"), web.redirectUri().replace("/callback", "/callback/"),
                web.redirectUri().replace("http://", "https://")}) {
            assertErrorPage(get(Http.form("client_id", web.id(), "redirect_uri", near, "response_type", "code")),
                    "The application asked to return to an address it has not registered.");
        }
    }

    @Test
    void repeatedClientIdIsAPage() {
        assertErrorPage(getRaw("client_id", web.id(), "client_id", web.id(), "redirect_uri", web.redirectUri(),
                "response_type", "code", "state", "s"), "The request names more than one client.");
    }

    @Test
    void repeatedRedirectUriIsAPage() {
        assertErrorPage(getRaw("client_id", web.id(), "redirect_uri", web.redirectUri(), "redirect_uri", web.redirectUri(),
                "response_type", "code", "state", "s"), "The request names more than one redirect URI.");
    }

    @Test
    void missingRedirectUriWhenTwoAreRegisteredIsAPage() {
        TestClient two = server.client().redirectUris("https://app.example/one", "https://app.example/two").create();
        assertErrorPage(get(Http.form("client_id", two.id(), "response_type", "code", "state", "s")),
                "The request does not say where to return (redirect_uri is missing).");
    }

    @Test
    void missingRedirectUriWithOneRegisteredUsesIt() {
        Http.Response page = get(Http.form("client_id", web.id(), "response_type", "code"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"interaction\" value=\"login\"");

        // ... and errors after that go to the registered one.
        Http.Response error = get(Http.form("client_id", web.id(), "response_type", "token", "state", "s1"));
        assertRedirectError(error, web.redirectUri(), "unauthorized_client", "s1");
    }

    @Test
    void errorPageDoesNotReflectTheClientId() {
        Http.Response page = get(Http.form("client_id", "<script>alert(1)</script>", "redirect_uri", web.redirectUri(),
                "response_type", "code"));
        assertErrorPage(page, "The application that sent you here is not registered.");
        assertThat(page.body()).doesNotContain("<script>");
    }

    // ---- loopback redirect URIs (RFC 8252 §7.3) ----

    @Test
    void nativeLoopbackRedirectMayUseAnotherPort() {
        Http.Response page = get(Http.form("client_id", nativeApp.id(), "redirect_uri", "http://127.0.0.1:61234/callback",
                "response_type", "code", "code_challenge", CHALLENGE, "code_challenge_method", "S256"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"interaction\" value=\"login\"");

        // The verified URI, with its port, is where errors go.
        Http.Response error = get(Http.form("client_id", nativeApp.id(), "redirect_uri", "http://127.0.0.1:61234/callback",
                "response_type", "code", "state", "p"));
        assertRedirectError(error, "http://127.0.0.1:61234/callback", "invalid_request", "p");
    }

    @Test
    void nativeLoopbackRedirectMustKeepHostAndPath() {
        for (String other : new String[] {"http://127.0.0.1:61234/other", "http://localhost:53100/callback",
                "http://127.0.0.2:53100/callback", "https://127.0.0.1:53100/callback"}) {
            assertErrorPage(get(Http.form("client_id", nativeApp.id(), "redirect_uri", other, "response_type", "code",
                    "code_challenge", CHALLENGE, "code_challenge_method", "S256")),
                    "The application asked to return to an address it has not registered.");
        }
    }

    @Test
    void webClientLoopbackRedirectMustMatchItsPort() {
        assertThat(web.redirectUri()).isEqualTo("http://127.0.0.1:9/callback");
        assertErrorPage(get(Http.form("client_id", web.id(), "redirect_uri", "http://127.0.0.1:61234/callback",
                "response_type", "code")), "The application asked to return to an address it has not registered.");
    }

    // ---- errors redirected to the verified redirect URI ----

    @Test
    void missingResponseType() {
        assertRedirectError(get(Http.form("client_id", web.id(), "redirect_uri", web.redirectUri(), "state", "st-1")),
                web.redirectUri(), "invalid_request", "st-1");
    }

    @Test
    void responseTypeTokenIsRefusedToAClientNotRegisteredForTheImplicitFlow() {
        // RFC 6749 §4.2.2.1: the server supports the implicit flow (for clients registered for it),
        // so a client without it is not authorized to use it, rather than facing an unsupported type.
        Http.Response error = get(params("response_type", "token", "state", "st-2"));
        assertRedirectError(error, web.redirectUri(), "unauthorized_client", "st-2");
        assertThat(error.locationParams()).containsEntry("error_description",
                "the client is not allowed to use the implicit flow (response_type=token)");
    }

    @Test
    void hybridResponseTypeIsUnsupported() {
        assertRedirectError(get(params("response_type", "code id_token", "state", "st-2b")), web.redirectUri(),
                "unsupported_response_type", "st-2b");
    }

    @Test
    void unknownScope() {
        Http.Response error = get(params("scope", "openid launch_missiles", "state", "st-3"));
        assertRedirectError(error, web.redirectUri(), "invalid_scope", "st-3");
        assertThat(error.locationParams().get("error_description")).contains("launch_missiles");
    }

    @Test
    void scopeTheClientIsNotRegisteredFor() {
        TestClient narrow = server.client().scope("openid").create();
        Http.Response error = get(Http.form("client_id", narrow.id(), "redirect_uri", narrow.redirectUri(), "response_type", "code",
                "scope", "openid broadcaster", "state", "st-3b"));
        assertRedirectError(error, narrow.redirectUri(), "invalid_scope", "st-3b");
    }

    @Test
    void nativeClientWithoutCodeChallenge() {
        Http.Response error = get(Http.form("client_id", nativeApp.id(), "redirect_uri", nativeApp.redirectUri(),
                "response_type", "code", "state", "st-4"));
        assertRedirectError(error, nativeApp.redirectUri(), "invalid_request", "st-4");
    }

    @Test
    void nativeClientWithPrivateUseSchemeGetsItsErrorThere() {
        Http.Response error = get(Http.form("client_id", nativeApp.id(), "redirect_uri", "com.example.app:/oauth",
                "response_type", "code", "state", "st-4b"));
        assertRedirectError(error, "com.example.app:/oauth", "invalid_request", "st-4b");
    }

    @Test
    void plainCodeChallengeMethodIsRefused() {
        String plain = "a-verifier-of-at-least-forty-three-characters-0123456789";
        assertRedirectError(get(params("code_challenge", plain, "code_challenge_method", "plain", "state", "st-5")),
                web.redirectUri(), "invalid_request", "st-5");
        // A missing method means plain (RFC 7636 §4.3), so it is refused too.
        assertRedirectError(get(params("code_challenge", CHALLENGE, "state", "st-5b")), web.redirectUri(), "invalid_request", "st-5b");
    }

    @Test
    void malformedCodeChallenge() {
        for (String bad : new String[] {"short", CHALLENGE + "A", CHALLENGE.substring(1) + "+", CHALLENGE.substring(1) + "="}) {
            assertRedirectError(get(params("code_challenge", bad, "code_challenge_method", "S256", "state", "st-6")),
                    web.redirectUri(), "invalid_request", "st-6");
        }
    }

    @Test
    void codeChallengeMethodWithoutChallenge() {
        assertRedirectError(get(params("code_challenge_method", "S256", "state", "st-6b")), web.redirectUri(), "invalid_request", "st-6b");
    }

    @Test
    void unknownPromptValue() {
        assertRedirectError(get(params("prompt", "sometimes", "state", "st-7")), web.redirectUri(), "invalid_request", "st-7");
    }

    @Test
    void promptNoneCombinedWithAnotherValue() {
        assertRedirectError(get(params("prompt", "none login", "state", "st-8")), web.redirectUri(), "invalid_request", "st-8");
        assertRedirectError(get(params("prompt", "consent none", "state", "st-8b")), web.redirectUri(), "invalid_request", "st-8b");
    }

    @Test
    void badMaxAge() {
        for (String bad : new String[] {"-1", "ten", "1.5", "99999999999"}) {
            assertRedirectError(get(params("max_age", bad, "state", "st-9")), web.redirectUri(), "invalid_request", "st-9");
        }
    }

    /** RFC 9101: a client without registered keys cannot have its request objects verified (RequestObjectTest has the rest). */
    @Test
    void requestObjectOfAClientWithoutKeys() {
        assertRedirectError(get(params("request", "eyJhbGciOiJub25lIn0.e30.", "state", "st-10")),
                web.redirectUri(), "invalid_request_object", "st-10");
    }

    /** request_uri by reference is off unless request_objects.by_reference allows it. */
    @Test
    void requestUriIsNotSupported() {
        assertRedirectError(get(params("request_uri", "https://app.example/request.jwt", "state", "st-11")),
                web.redirectUri(), "request_uri_not_supported", "st-11");
    }

    @Test
    void unsupportedResponseMode() {
        assertRedirectError(get(params("response_mode", "fragment", "state", "st-11b")), web.redirectUri(), "invalid_request", "st-11b");
    }

    @Test
    void clientWithoutTheAuthorizationCodeGrant() {
        TestClient machine = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        Http.Response error = get(Http.form("client_id", machine.id(), "redirect_uri", machine.redirectUri(),
                "response_type", "code", "state", "st-12"));
        assertRedirectError(error, machine.redirectUri(), "unauthorized_client", "st-12");
    }

    @Test
    void repeatedParameterAfterVerificationIsRedirected() {
        assertRedirectError(getRaw("client_id", web.id(), "redirect_uri", web.redirectUri(), "response_type", "code",
                "scope", "openid", "scope", "email", "state", "st-13"), web.redirectUri(), "invalid_request", "st-13");
    }

    @Test
    void repeatedStateIsNotEchoed() {
        Http.Response error = getRaw("client_id", web.id(), "redirect_uri", web.redirectUri(), "response_type", "code",
                "state", "one", "state", "two");
        assertThat(error.status()).isEqualTo(302);
        assertThat(error.locationParams()).containsOnlyKeys("error", "error_description", "iss").containsEntry("error", "invalid_request");
    }

    @Test
    void errorDescriptionKeepsToTheCharactersRfc6749Allows() {
        // RFC 6749 §4.1.2.1: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, even
        // when the server names the offending value.
        for (String[] bad : new String[][] {{"response_type", "to\"k\\en\u00e9", "unsupported_response_type"},
                {"prompt", "log\"in\u00fc", "invalid_request"}, {"response_mode", "frag\\ment\u2028", "invalid_request"}}) {
            Map<String, String> params = params("state", "st-15");
            params.put(bad[0], bad[1]);
            assertRedirectError(get(params), web.redirectUri(), bad[2], "st-15");
        }
    }

    @Test
    void errorWithoutStateCarriesNoState() {
        Http.Response error = get(params("response_type", "id_token"));
        assertThat(error.status()).isEqualTo(302);
        assertThat(error.locationParams()).containsOnlyKeys("error", "error_description", "iss")
                .containsEntry("error", "unsupported_response_type").containsEntry("iss", server.issuer());
    }

    @Test
    void redirectUriWithAQueryKeepsIt() {
        TestClient withQuery = server.client().redirectUris("https://app.example/cb?tenant=7").create();
        Http.Response error = get(Http.form("client_id", withQuery.id(), "redirect_uri", "https://app.example/cb?tenant=7",
                "response_type", "id_token", "state", "q"));
        assertThat(error.status()).isEqualTo(302);
        assertThat(error.location()).startsWith("https://app.example/cb?tenant=7&");
        assertThat(error.locationParams()).containsEntry("tenant", "7").containsEntry("error", "unsupported_response_type")
                .containsEntry("state", "q").containsEntry("iss", server.issuer());
    }

    @Test
    void postedRequestErrorsRedirectWithSeeOther() {
        Http.Response error = Http.client().postForm(server.url("/authorize"), params("response_type", "id_token", "state", "st-14"));
        assertThat(error.status()).isEqualTo(303);
        assertThat(error.location()).startsWith(web.redirectUri() + "?");
        assertThat(error.locationParams()).containsEntry("error", "unsupported_response_type").containsEntry("state", "st-14")
                .containsEntry("iss", server.issuer());
    }

    // ---- helpers ----

    private static Map<String, String> params(String... extra) {
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", web.id(), "redirect_uri", web.redirectUri(),
                "response_type", "code"));
        params.putAll(Http.form(extra));
        return params;
    }

    /** A GET with the parameters as given, repeated names included. */
    private static Http.Response getRaw(String... keysAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            query.append(i == 0 ? '?' : '&').append(Http.encode(Map.of(keysAndValues[i], keysAndValues[i + 1])));
        }
        return Http.client().get(server.url("/authorize") + query);
    }

    private static Http.Response get(Map<String, String> params) {
        return Http.client().get(Urls.withQuery(server.url("/authorize"), params));
    }

    private static void assertErrorPage(Http.Response page, String message) {
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<h1>" + INVALID_LINK + "</h1>").contains(message);
    }

    private static void assertRedirectError(Http.Response response, String redirectUri, String error, String state) {
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        assertThat(response.location()).startsWith(redirectUri + "?");
        Map<String, String> params = response.locationParams();
        assertThat(params).containsOnlyKeys("error", "error_description", "state", "iss");
        assertThat(params).containsEntry("error", error).containsEntry("state", state).containsEntry("iss", server.issuer());
        assertThat(params.get("error_description")).isNotBlank().doesNotContain("Exception")
                .matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
    }
}
