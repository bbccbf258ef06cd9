package dev.castgate.resource;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.audit.Operator;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import dev.castgate.token.TokenRequests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource indicators (RFC 8707) over HTTP: {@code resource} at the authorization, pushed
 * authorization and token endpoints; the access token's audience in a JWT's {@code aud} and in
 * introspection; narrowing at refresh; invalid_target; and the Streaming API, userinfo and the
 * resources' scope limits. Without a resource everything is as before.
 */
class ResourceIndicatorsTest {
    static final String A = "https://a.example/api";
    static final String B = "https://b.example/";

    @CastgateServer static TestServer server;
    static TokenRequests token;
    static ApiCalls api;
    static TestClient resourceServer;
    static String streamingApi;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
        api = new ApiCalls(server);
        resourceServer = server.client().resourceServer().create();
        streamingApi = server.issuer() + "/api";
        Resources resources = new Resources(server.database().stores(), RandomTokens.secure(), server.clock(), streamingApi);
        resources.add(A, "Resource A", Optional.empty(), Operator.COMMAND_LINE);
        resources.add(B, "Resource B", Optional.of("broadcaster"), Operator.COMMAND_LINE);
    }

    @Test
    void oneResourceAtAuthorizeIsTheJwtAudienceAndIntrospectionsAud() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, Http.form("scope", "openid broadcaster", "resource", A));
        Map<String, Object> tokens = exchange(client, code, "token_type=jwt");
        assertThat(tokens).containsEntry("scope", "broadcaster openid");
        Map<String, Object> claims = JwtClaims.of((String) tokens.get("access_token"));
        assertThat(claims).containsEntry("aud", A);
        assertThat(introspect((String) tokens.get("access_token"))).containsEntry("active", true).containsEntry("aud", A);

        // An opaque token keeps its audience: introspection reports it.
        Map<String, Object> refreshed = ok(tokenRequest(client, "grant_type=refresh_token&refresh_token=" + tokens.get("refresh_token")));
        assertThat((String) refreshed.get("access_token")).matches("[0-9a-f]{40}");
        assertThat(introspect((String) refreshed.get("access_token"))).containsEntry("aud", A);
        // The ID token is the client's, whatever the resources.
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("aud", client.id());
    }

    @Test
    void twoResourcesAreTheAudienceAndARefreshNarrowsIt() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "state", "st", "scope", "openid email broadcaster"));
        Http.Response login = browser.http().get(Urls.withQuery(server.url("/authorize"), params) + "&resource=" + enc(A) + "&resource=" + enc(B));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        Http.Response consent = browser.signIn(login, user.username(), TestServer.PASSWORD);
        Http.Response redirect = browser.decide(consent, "allow");
        Map<String, Object> tokens = exchange(client, browser.code(redirect, "st"), "token_type=jwt");
        // A takes any scope, so the token keeps all of them for both.
        assertThat(tokens).containsEntry("scope", "broadcaster email openid");
        assertThat(JwtClaims.of((String) tokens.get("access_token")).get("aud")).isEqualTo(List.of(A, B));

        // RFC 8707 §2.2: a refresh names one of the grant's resources; B allows broadcaster only (and openid).
        Map<String, Object> toB = ok(tokenRequest(client, "grant_type=refresh_token&token_type=jwt&resource=" + enc(B)
                + "&refresh_token=" + tokens.get("refresh_token")));
        assertThat(toB).containsEntry("scope", "broadcaster openid");
        assertThat(JwtClaims.of((String) toB.get("access_token"))).containsEntry("aud", B).containsEntry("scope", "broadcaster openid");
        // The refresh token keeps the whole grant: the next refresh without resource is for both again.
        Map<String, Object> again = ok(tokenRequest(client, "grant_type=refresh_token&refresh_token=" + toB.get("refresh_token")));
        assertThat(again).containsEntry("scope", "broadcaster email openid");
        assertThat(introspect((String) again.get("access_token")).get("aud")).isEqualTo(List.of(A, B));
        // The Streaming API was not among the grant's resources.
        assertBadRequest(tokenRequest(client, "grant_type=refresh_token&resource=" + enc(streamingApi) + "&refresh_token="
                + again.get("refresh_token")), "invalid_target", "the resource " + streamingApi + " was not among those the grant is for");
    }

    @Test
    void theCodeExchangeNarrowsToOneOfTheAuthorizedResources() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, Http.form("scope", "openid", "resource", A));
        // A resource the authorization request did not name is refused, and leaves the code good.
        assertBadRequest(tokenRequest(client, "grant_type=authorization_code&resource=" + enc(B) + "&code=" + code
                + "&redirect_uri=" + enc(client.redirectUri())), "invalid_target", "the resource " + B + " was not among those the grant is for");
        Map<String, Object> tokens = exchange(client, code, "token_type=jwt&resource=" + enc(A));
        assertThat(JwtClaims.of((String) tokens.get("access_token"))).containsEntry("aud", A);
    }

    @Test
    void aGrantWithoutResourcesMayBeNarrowedToTheStreamingApiOnly() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");
        Map<String, Object> narrowed = ok(tokenRequest(client, "grant_type=refresh_token&token_type=jwt&resource=" + enc(streamingApi)
                + "&refresh_token=" + tokens.get("refresh_token")));
        assertThat(JwtClaims.of((String) narrowed.get("access_token"))).containsEntry("aud", streamingApi);
        assertThat(api.get("/users/self", (String) narrowed.get("access_token")).status()).isEqualTo(200);
        assertBadRequest(tokenRequest(client, "grant_type=refresh_token&resource=" + enc(A) + "&refresh_token=" + narrowed.get("refresh_token")),
                "invalid_target", "the resource " + A + " was not among those the grant is for");
    }

    @Test
    void clientCredentialsForAResourceAndItsScopeLimit() {
        User owner = server.createUser();
        TestClient client = server.client().owner(owner).create();
        Map<String, Object> forB = ok(tokenRequest(client, "grant_type=client_credentials&token_type=jwt&scope=broadcaster+email&resource=" + enc(B)));
        assertThat(forB).containsEntry("scope", "broadcaster");
        assertThat(JwtClaims.of((String) forB.get("access_token"))).containsEntry("aud", B).containsEntry("scope", "broadcaster");

        Map<String, Object> forBoth = ok(tokenRequest(client, "grant_type=client_credentials&token_type=jwt&resource=" + enc(streamingApi)
                + "&resource=" + enc(B)));
        assertThat(JwtClaims.of((String) forBoth.get("access_token")).get("aud")).isEqualTo(List.of(streamingApi, B));
        assertThat(api.get("/users/self", (String) forBoth.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void theStreamingApiAndUserinfoRefuseATokenForAnotherResource() {
        User user = server.createUser();
        TestClient client = server.client().owner(user).create();
        for (String format : List.of("jwt", "bearer")) {
            String forA = (String) ok(tokenRequest(client, "grant_type=client_credentials&token_type=" + format + "&resource=" + enc(A)))
                    .get("access_token");
            ApiCalls.assertInvalidToken(api.get("/users/self", forA), "the access token is for another resource");
            String forApi = (String) ok(tokenRequest(client, "grant_type=client_credentials&token_type=" + format + "&resource="
                    + enc(streamingApi))).get("access_token");
            assertThat(api.get("/users/self", forApi).status()).isEqualTo(200);
        }
        Map<String, Object> tokens = exchange(client, token.code(client, user, Http.form("scope", "openid", "resource", A)), "");
        Http.Response userinfo = token.userinfo(tokens.get("access_token"));
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.json()).containsEntry("error", "invalid_token").containsEntry("error_description", "the access token is for another resource");
    }

    @Test
    void invalidTargetAtTheTokenEndpoint() {
        TestClient client = server.client().owner(server.createUser()).create();
        assertBadRequest(tokenRequest(client, "grant_type=client_credentials&resource=" + enc("https://unknown.example/")),
                "invalid_target", "the resource https://unknown.example/ is unknown");
        assertBadRequest(tokenRequest(client, "grant_type=client_credentials&resource=" + enc("/api")),
                "invalid_target", "the resource /api is not an absolute URI");
        assertBadRequest(tokenRequest(client, "grant_type=client_credentials&resource=" + enc(A + "#top")),
                "invalid_target", "the resource " + A + "#top has a fragment, which RFC 8707 forbids");
        assertBadRequest(tokenRequest(client, "grant_type=client_credentials&resource=" + enc("https://a b")),
                "invalid_target", "the resource is not a URI");
        // One bad resource among good ones refuses the request.
        assertBadRequest(tokenRequest(client, "grant_type=client_credentials&resource=" + enc(A) + "&resource=" + enc("urn:x")),
                "invalid_target", "the resource urn:x is unknown");
    }

    @Test
    void invalidTargetAtAuthorizeGoesToTheRedirectUri() {
        TestClient client = server.client().create();
        for (String[] bad : new String[][] {
                {"https://unknown.example/", "the resource https://unknown.example/ is unknown"},
                {"api", "the resource api is not an absolute URI"},
                {A + "#f", "the resource " + A + "#f has a fragment, which RFC 8707 forbids"}}) {
            Http.Response r = Http.browser().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                    "redirect_uri", client.redirectUri(), "response_type", "code", "state", "s1", "resource", bad[0])));
            assertThat(r.status()).as(r.body()).isEqualTo(302);
            assertThat(r.location()).startsWith(client.redirectUri() + "?");
            assertThat(r.locationParams()).containsEntry("error", "invalid_target").containsEntry("error_description", bad[1])
                    .containsEntry("state", "s1").containsEntry("iss", server.issuer());
        }
    }

    @Test
    void pushedRequestsTakeResources() {
        User user = server.createUser();
        TestClient client = server.client().create();
        assertBadRequest(Http.client().postForm(server.url("/oauth2/par"), Http.form("response_type", "code", "redirect_uri", client.redirectUri(),
                        "resource", "https://unknown.example/"), "Authorization", client.basic()),
                "invalid_target", "the resource https://unknown.example/ is unknown");
        Http.Response pushed = Http.client().postForm(server.url("/oauth2/par"), Http.form("response_type", "code",
                "redirect_uri", client.redirectUri(), "scope", "openid", "state", "st", "resource", A), "Authorization", client.basic());
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request_uri", (String) pushed.json().get("request_uri")),
                user.username(), TestServer.PASSWORD);
        Map<String, Object> tokens = exchange(client, browser.code(redirect, "st"), "token_type=jwt");
        assertThat(JwtClaims.of((String) tokens.get("access_token"))).containsEntry("aud", A);
    }

    @Test
    void withoutAResourceNothingChanges() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = exchange(client, token.code(client, user, "openid"), "token_type=jwt");
        assertThat(JwtClaims.of((String) tokens.get("access_token"))).containsEntry("aud", server.issuer());
        Map<String, Object> opaque = ok(tokenRequest(client, "grant_type=refresh_token&refresh_token=" + tokens.get("refresh_token")));
        assertThat(introspect((String) opaque.get("access_token"))).containsOnlyKeys("active", "scope", "client_id", "username", "sub", "exp",
                "iat", "token_type");
        assertThat(token.userinfo(opaque.get("access_token")).status()).isEqualTo(200);
        assertThat(api.get("/users/self", (String) opaque.get("access_token")).status()).isEqualTo(200);
    }

    private static Map<String, Object> exchange(TestClient client, String code, String extra) {
        return ok(tokenRequest(client, "grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(client.redirectUri())
                + (extra.isEmpty() ? "" : "&" + extra)));
    }

    /** A token request whose body is written out, so that resource can repeat. */
    private static Http.Response tokenRequest(TestClient client, String body) {
        return Http.client().post(server.url("/oauth2/token"), "application/x-www-form-urlencoded", body, "Authorization", client.basic());
    }

    private static Map<String, Object> ok(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static Map<String, Object> introspect(String accessToken) {
        return ok(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken), "Authorization", resourceServer.basic()));
    }

    private static String enc(String value) { return Http.encode(Map.of("v", value)).substring(2); }
}
