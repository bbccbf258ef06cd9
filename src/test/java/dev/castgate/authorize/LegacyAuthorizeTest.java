package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The original service's authorization-side behaviours, each only for a client registered for it
 * and refused otherwise: the implicit flow with the token in the query, PKCE plain, and redirect
 * URIs matched by prefix.
 */
class LegacyAuthorizeTest {
    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "state", "XYZ");
        params.putAll(Http.form(extra));
        return params;
    }

    // ---- implicit (response_type=token)

    @Test
    void implicitDeliversTheTokenInTheQuery() {
        User user = server.createUser();
        TestClient client = server.client().allowImplicit().redirectUris("http://localhost:8000/").create();
        Instant before = server.clock().instant();
        Http.Response redirect = new BrowserFlow(server).authorize(params(client, "response_type", "token",
                "scope", "openid broadcaster offline", "device_name", "Sony camera"), user.username(), TestServer.PASSWORD);

        assertThat(redirect.location()).startsWith("http://localhost:8000/?access_token=").doesNotContain("#");
        Map<String, String> params = redirect.locationParams();
        assertThat(params).containsOnlyKeys("access_token", "token_type", "expires_in", "scope", "state", "iss");
        assertThat(params.get("access_token")).matches("[0-9a-f]{40}");
        assertThat(params).containsEntry("token_type", "bearer").containsEntry("expires_in", "86400")
                .containsEntry("state", "XYZ").containsEntry("scope", "broadcaster openid");
        assertThat(redirect.header("Cache-Control")).hasValue("no-store");

        // A real token: userinfo takes it; the grant shows on the account with its device name.
        Http.Response userinfo = token.userinfo(params.get("access_token"));
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.json()).containsEntry("sub", user.id().value());
        List<ConnectedApp> apps = server.database().stores().grants().listLive(user.id(), server.clock().instant());
        assertThat(apps).singleElement().satisfies(app -> assertThat(app.deviceName()).contains("Sony camera"));
        // The token's row is the record of its issuance, for this client and person; no audit event is written for it.
        assertThat(server.database().stores().tokens().findAccessToken(dev.castgate.crypto.Hashes.tokenHash(params.get("access_token"))))
                .hasValueSatisfying(t -> {
                    assertThat(t.clientId()).isEqualTo(new ClientId(client.id()));
                    assertThat(t.userId()).contains(user.id());
                });
        assertThat(server.database().stores().audit().list(before, 1000)).noneSatisfy(e ->
                assertThat(e.type()).isEqualTo(AuditEvent.Type.TOKEN_ISSUED));
    }

    @Test
    void implicitWithoutScopeOmitsIt() {
        User user = server.createUser();
        TestClient client = server.client().allowImplicit().create();
        Map<String, String> params = new BrowserFlow(server).authorize(params(client, "response_type", "token"),
                user.username(), TestServer.PASSWORD).locationParams();
        assertThat(params).containsOnlyKeys("access_token", "token_type", "expires_in", "state", "iss");
    }

    @Test
    void implicitDenyRedirectsWithAccessDenied() {
        User user = server.createUser();
        TestClient client = server.client().allowImplicit().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client, "response_type", "token")), user.username(), TestServer.PASSWORD);
        Map<String, String> params = browser.decide(consent, "deny").locationParams();
        assertThat(params).containsEntry("error", "access_denied").containsEntry("state", "XYZ").doesNotContainKey("access_token");
    }

    @Test
    void implicitIsRefusedToOtherClients() {
        TestClient client = server.client().create();
        Http.Response response = Http.browser().get(server.url("/authorize") + "?" + Http.encode(params(client, "response_type", "token")));
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.locationParams()).containsEntry("error", "unauthorized_client").containsEntry("state", "XYZ")
                .doesNotContainKey("access_token");
    }

    @Test
    void implicitTakesNoPkce() {
        TestClient client = server.client().allowImplicit().create();
        Http.Response response = Http.browser().get(server.url("/authorize") + "?" + Http.encode(params(client, "response_type", "token",
                "code_challenge", TokenRequests.s256(TokenRequests.newVerifier()), "code_challenge_method", "S256")));
        assertThat(response.locationParams()).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "code_challenge applies only to response_type=code");
    }

    @Test
    void theCodeFlowStillWorksForAnImplicitClient() {
        User user = server.createUser();
        TestClient client = server.client().allowImplicit().create();
        String code = token.code(client, user, "openid");
        Http.Response response = token.post(client, Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    // ---- PKCE plain

    @Test
    void pkcePlainWorksForAFlaggedClient() {
        User user = server.createUser();
        TestClient client = server.client().allowPkcePlain().create();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(client, user, Http.form("code_challenge", verifier, "code_challenge_method", "plain"));
        Http.Response wrong = token.post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri(), "code_verifier", TokenRequests.newVerifier()));
        assertThat(wrong.json()).containsEntry("error", "invalid_grant");

        String second = token.code(client, user, Http.form("code_challenge", verifier, "code_challenge_method", "plain"));
        Http.Response right = token.post(client, Http.form("grant_type", "authorization_code", "code", second,
                "redirect_uri", client.redirectUri(), "code_verifier", verifier));
        assertThat(right.status()).as(right.body()).isEqualTo(200);
    }

    @Test
    void aMissingMethodMeansPlainForAFlaggedNativeClient() {
        // RFC 7636 §4.3: without code_challenge_method the method is plain, as the original's docs say.
        User user = server.createUser();
        TestClient client = server.client().nativeApp().allowPkcePlain().redirectUris("com.example.tv:/cb").create();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(client, user, Http.form("code_challenge", verifier));
        Http.Response response = token.post(Http.form("grant_type", "authorization_code", "client_id", client.id(), "code", code,
                "redirect_uri", client.redirectUri(), "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void s256StillWorksForAFlaggedClient() {
        User user = server.createUser();
        TestClient client = server.client().allowPkcePlain().create();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(client, user, Http.form("code_challenge", TokenRequests.s256(verifier), "code_challenge_method", "S256"));
        Http.Response response = token.post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri(), "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void pkcePlainIsRefusedToOtherClients() {
        TestClient client = server.client().create();
        String verifier = TokenRequests.newVerifier();
        for (Map<String, String> pkce : List.of(Http.form("code_challenge", verifier, "code_challenge_method", "plain"),
                Http.form("code_challenge", verifier))) {
            Map<String, String> all = params(client, "response_type", "code");
            all.putAll(pkce);
            Http.Response response = Http.browser().get(server.url("/authorize") + "?" + Http.encode(all));
            assertThat(response.locationParams()).containsEntry("error", "invalid_request")
                    .containsEntry("error_description", "code_challenge_method must be S256");
        }
    }

    @Test
    void aPlainChallengeMustBeAValidVerifier() {
        TestClient client = server.client().allowPkcePlain().create();
        Http.Response response = Http.browser().get(server.url("/authorize") + "?" + Http.encode(params(client, "response_type", "code",
                "code_challenge", "bWl6dQ", "code_challenge_method", "plain")));
        assertThat(response.locationParams()).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "a plain code_challenge must be 43 to 128 unreserved characters");
    }

    // ---- prefix matching of redirect URIs

    @Test
    void prefixMatchingAcceptsAnExtensionOfARegisteredUri() {
        User user = server.createUser();
        TestClient client = server.client().prefixRedirectMatch().redirectUris("http://localhost:8000/").create();
        String extended = "http://localhost:8000/getaccesstoken/?from=app";
        Http.Response redirect = new BrowserFlow(server).authorize(Http.form("client_id", client.id(), "redirect_uri", extended,
                "response_type", "code", "state", "st"), user.username(), TestServer.PASSWORD);
        assertThat(redirect.location()).startsWith(extended + "&code=");
        String code = redirect.locationParams().get("code");
        // The token request names the URI the authorization used (RFC 6749 §4.1.3).
        Http.Response other = token.post(client, Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()));
        assertThat(other.json()).containsEntry("error", "invalid_grant");
        String again = new BrowserFlow(server).code(new BrowserFlow(server).authorize(Http.form("client_id", client.id(),
                "redirect_uri", extended, "response_type", "code", "state", "st"), user.username(), TestServer.PASSWORD), "st");
        Http.Response exchanged = token.post(client, Http.form("grant_type", "authorization_code", "code", again, "redirect_uri", extended));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
    }

    @Test
    void prefixMatchingStaysOnTheRegisteredHostAndPath() {
        TestClient client = server.client().prefixRedirectMatch().redirectUris("https://app.example").create();
        for (String bad : new String[] {"https://app.example.evil.com/cb", "https://app.example@evil.com/", "https://app.example:444/",
                "https://app.example/cb#frag", "https://app.example/a/../../x", "https://app.example/%2e%2e/x"}) {
            Http.Response page = Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", client.id(),
                    "redirect_uri", bad, "response_type", "code")));
            assertThat(page.status()).as(bad).isEqualTo(400);
            assertThat(page.header("Location")).as(bad).isEmpty();
        }
        Http.Response ok = Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", client.id(),
                "redirect_uri", "https://app.example/callback", "response_type", "code")));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void otherClientsMatchExactly() {
        TestClient client = server.client().redirectUris("http://localhost:8000/").create();
        Http.Response page = Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", client.id(),
                "redirect_uri", "http://localhost:8000/getaccesstoken/", "response_type", "code")));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.body()).contains("not registered");
    }
}
