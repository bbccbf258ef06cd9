package dev.castgate.authorize;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import dev.castgate.token.TokenRequests;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pushed authorization requests (RFC 9126) over HTTP: the push with client authentication, the
 * authorization with its request_uri through sign-in and consent, single use, the parameters
 * outside the pushed request ignored, and pushing required by the server or by a client.
 */
class PushedAuthorizationRequestTest {
    private static final String INVALID_LINK = "This sign-in link is not valid";
    private static final String REQUEST_URI_INVALID =
            "The request this link refers to has expired or was already used. Go back to the application and start again.";
    private static final String NOT_PUSHED =
            "authorization requests must be pushed to the pushed authorization request endpoint first (RFC 9126)";

    @CastgateServer static TestServer server;
    @CastgateServer("CASTGATE_PAR_REQUIRED=true") static TestServer required;

    @Test
    void aPushedRequestIsAuthorizedThroughSignInAndConsentAndItsCodeExchanged() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Http.Response pushed = push(server, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(),
                "scope", "openid", "state", "st-1", "nonce", "n-1"));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        assertThat(pushed.header("Cache-Control")).contains("no-store");
        assertThat(pushed.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = pushed.json();
        assertThat(body).containsOnlyKeys("request_uri", "expires_in").containsEntry("expires_in", 60);
        assertThat((String) body.get("request_uri")).matches("urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}");

        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request_uri", (String) body.get("request_uri")),
                user.username(), TestServer.PASSWORD);
        Map<String, Object> tokens = browser.exchange(client, redirect, "st-1");
        assertThat(tokens).containsKeys("access_token", "refresh_token", "id_token").containsEntry("scope", "openid");
    }

    @Test
    void aNativeClientPushesWithItsClientIdAndPkce() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        String verifier = TokenRequests.newVerifier();
        Http.Response pushed = Http.client().postForm(server.url("/oauth2/par"), Http.form("client_id", app.id(), "response_type", "code",
                "redirect_uri", app.redirectUri(), "scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);

        Http.Response redirect = new BrowserFlow(server).authorize(
                Http.form("client_id", app.id(), "request_uri", (String) pushed.json().get("request_uri")), user.username(), TestServer.PASSWORD);
        String code = new BrowserFlow(server).code(redirect, null);
        Http.Response tokens = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "client_id", app.id(), "code", code, "redirect_uri", app.redirectUri(), "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void theClientAuthenticatesAsAtTheTokenEndpoint() {
        TestClient client = server.client().create();
        Map<String, String> request = Http.form("response_type", "code", "redirect_uri", client.redirectUri());
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/par"), request), "no client authentication was sent");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/par"), request,
                "Authorization", new TestClient(client.id(), "0".repeat(40), null, null).basic()), "client authentication failed");
        Map<String, String> withId = new LinkedHashMap<>(request);
        withId.put("client_id", server.client().create().id());
        assertBadRequest(Http.client().postForm(server.url("/oauth2/par"), withId, "Authorization", client.basic()),
                "invalid_request", "client_id in the body differs from the Authorization header");
        // client_secret_post works as at the token endpoint.
        Map<String, String> posted = new LinkedHashMap<>(request);
        posted.put("client_id", client.id());
        posted.put("client_secret", client.secret());
        assertThat(Http.client().postForm(server.url("/oauth2/par"), posted).status()).isEqualTo(201);
    }

    @Test
    void thePushedParametersAreCheckedAsTheAuthorizationEndpointChecksThem() {
        TestClient client = server.client().create();
        TestClient app = server.client().nativeApp().create();
        assertBadRequest(push(server, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(),
                "request_uri", "urn:ietf:params:oauth:request_uri:abc")), "invalid_request", "request_uri cannot be pushed");
        assertBadRequest(push(server, client, Http.form("response_type", "code", "redirect_uri", "https://evil.example/cb")),
                "invalid_request", "redirect_uri is not registered for the client");
        assertBadRequest(push(server, client, Http.form("redirect_uri", client.redirectUri())),
                "invalid_request", "parameter response_type is missing");
        assertBadRequest(push(server, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(), "scope", "openid root")),
                "invalid_scope", "unknown scope: root");
        assertBadRequest(push(server, client, Http.form("response_type", "token", "redirect_uri", client.redirectUri())),
                "unauthorized_client", "the client is not allowed to use the implicit flow (response_type=token)");
        assertBadRequest(push(server, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(), "prompt", "none login")),
                "invalid_request", "prompt none cannot be combined with other values");
        assertBadRequest(Http.client().postForm(server.url("/oauth2/par"), Http.form("client_id", app.id(), "response_type", "code",
                "redirect_uri", app.redirectUri())), "invalid_request", "native clients must send a code_challenge (PKCE with S256)");
    }

    @Test
    void aRequestUriIsRefusedWhenUnknownExpiredUsedOrAnotherClients() {
        TestClient client = server.client().create();
        TestClient other = server.client().create();
        assertErrorPage(open(client, "urn:ietf:params:oauth:request_uri:" + "A".repeat(43)), REQUEST_URI_INVALID);

        String used = requestUri(client, "st-used");
        assertThat(open(client, used).status()).isEqualTo(200);
        assertErrorPage(open(client, used), REQUEST_URI_INVALID);

        String othersTry = requestUri(client, "st-other");
        assertErrorPage(open(other, othersTry), REQUEST_URI_INVALID);
        assertErrorPage(new BrowserFlow(server).open(Http.form("request_uri", othersTry)), "client_id is missing");
        assertThat(open(client, othersTry).status()).as("another client's attempt does not use it up").isEqualTo(200);

        String expired = requestUri(client, "st-expired");
        server.clock().advance(Duration.ofSeconds(61));
        assertErrorPage(open(client, expired), REQUEST_URI_INVALID);
    }

    /** RFC 9126 §4: only the pushed parameters count; the query's others are ignored. */
    @Test
    void parametersOutsideThePushedRequestAreIgnored() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris("https://app.example/cb", "https://app.example/other").create();
        String requestUri = (String) push(server, client, Http.form("response_type", "code", "redirect_uri", "https://app.example/cb",
                "scope", "openid", "state", "pushed")).json().get("request_uri");
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request_uri", requestUri, "state", "forged",
                "scope", "openid email", "redirect_uri", "https://app.example/other", "response_type", "token"), user.username(), TestServer.PASSWORD);
        assertThat(redirect.location()).startsWith("https://app.example/cb?");
        assertThat(browser.exchange(client, redirect, "pushed")).containsEntry("scope", "openid");
    }

    @Test
    void theServerRequiringPushedRequestsRefusesOthersAndSaysSoInDiscovery() {
        TestClient client = required.client().create();
        Http.Response plain = Http.client().get(Urls.withQuery(required.url("/authorize"), Http.form("client_id", client.id(),
                "response_type", "code", "redirect_uri", client.redirectUri(), "state", "st-plain")));
        assertNotPushed(required, plain, client, "st-plain");
        for (String path : new String[] {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"}) {
            assertThat(Http.client().get(required.url(path)).json())
                    .containsEntry("pushed_authorization_request_endpoint", required.issuer() + "/oauth2/par")
                    .containsEntry("require_pushed_authorization_requests", true);
        }
        assertThat(Http.client().get(server.url("/.well-known/openid-configuration")).json())
                .containsEntry("pushed_authorization_request_endpoint", server.issuer() + "/oauth2/par")
                .containsEntry("require_pushed_authorization_requests", false);

        // A pushed request goes through: the forms carry it on under its seal.
        User user = required.createUser();
        BrowserFlow browser = new BrowserFlow(required);
        String requestUri = (String) push(required, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(),
                "scope", "openid", "state", "st-pushed")).json().get("request_uri");
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request_uri", requestUri), user.username(),
                TestServer.PASSWORD);
        browser.exchange(client, redirect, "st-pushed");
    }

    @Test
    void aChangedParameterInTheCarriedFormsIsNoLongerAPushedRequest() {
        User user = required.createUser();
        TestClient client = required.client().create();
        String requestUri = (String) push(required, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(),
                "scope", "openid", "state", "st-seal")).json().get("request_uri");
        BrowserFlow browser = new BrowserFlow(required);
        Http.Response login = browser.open(Http.form("client_id", client.id(), "request_uri", requestUri));
        assertThat(HtmlForms.hiddenFields(login.body())).containsKey("pushed_request").doesNotContainKey("request_uri")
                .containsEntry("scope", "openid");
        Http.Response changed = browser.submit(login, Http.form("username", user.username(), "password", TestServer.PASSWORD,
                "scope", "openid email"));
        assertNotPushed(required, changed, client, "st-seal");
    }

    @Test
    void aClientRequiringPushedRequestsHasOnlyThoseAccepted() {
        User user = server.createUser();
        TestClient client = server.client().requirePushedRequests().create();
        Http.Response plain = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                "response_type", "code", "redirect_uri", client.redirectUri(), "state", "st-client")));
        assertNotPushed(server, plain, client, "st-client");

        String requestUri = (String) push(server, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(),
                "state", "st-ok")).json().get("request_uri");
        BrowserFlow browser = new BrowserFlow(server);
        browser.exchange(client, browser.authorize(Http.form("client_id", client.id(), "request_uri", requestUri), user.username(),
                TestServer.PASSWORD), "st-ok");
    }

    @Test
    void housekeepingDeletesPushedRequestsNeverTaken(@CastgateServer TestServer alone) {
        TestClient client = alone.client().create();
        push(alone, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri()));
        push(alone, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri()));
        assertThat(alone.sweep().pushedRequests()).isZero();
        alone.clock().advance(Duration.ofSeconds(60));
        assertThat(alone.sweep().pushedRequests()).isEqualTo(2);
        assertThat(alone.database().count("pushed_authorization_requests")).isZero();
    }

    private static Http.Response push(TestServer on, TestClient client, Map<String, String> form) {
        return Http.client().postForm(on.url("/oauth2/par"), form, "Authorization", client.basic());
    }

    private static String requestUri(TestClient client, String state) {
        Http.Response pushed = push(server, client, Http.form("response_type", "code", "redirect_uri", client.redirectUri(), "state", state));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        return (String) pushed.json().get("request_uri");
    }

    private static Http.Response open(TestClient client, String requestUri) {
        return new BrowserFlow(server).open(Http.form("client_id", client.id(), "request_uri", requestUri));
    }

    private static void assertErrorPage(Http.Response page, String message) {
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<h1>" + INVALID_LINK + "</h1>").contains(message);
    }

    /** The error redirect to the registered redirect URI: the client and its redirect URI are known. */
    private static void assertNotPushed(TestServer on, Http.Response response, TestClient client, String state) {
        assertThat(response.status()).as(response.body()).isIn(302, 303);
        assertThat(response.location()).startsWith(client.redirectUri() + "?");
        assertThat(response.locationParams()).isEqualTo(Map.of("error", "invalid_request", "error_description", NOT_PUSHED,
                "state", state, "iss", on.issuer()));
    }
}
