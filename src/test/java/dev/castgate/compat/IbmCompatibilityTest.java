package dev.castgate.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The original service's documented requests, replayed as its clients send them (the official
 * PHP sample, the docs' examples, the Unreal Engine plugin, the Node SDK), against a server with
 * {@code errors = ibm}; the responses must have the shape those clients read: 40-hex tokens,
 * token_type bearer, expires_in 86400, and the documented error bodies and statuses.
 */
class IbmCompatibilityTest {
    private static final String HEX40 = "[0-9a-f]{40}";

    @CastgateServer("CASTGATE_ERRORS=ibm") static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    /** A form body written out by hand, as the sample sends it (scope=offline+broadcaster). */
    private static Http.Response postRaw(String path, String body, String... headers) {
        return Http.client().post(server.url(path), "application/x-www-form-urlencoded", body, headers);
    }

    private static Map<String, Object> assertTokenResponse(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = response.json();
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400);
        assertThat((String) body.get("access_token")).matches(HEX40);
        return body;
    }

    /** The documented error body: {"error": ...} (our error_description is extra and harmless), with its status. */
    private static void assertErrorBody(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.json()).containsEntry("error", error).containsOnlyKeys("error", "error_description");
        assertThat(response.headers("WWW-Authenticate")).isEmpty();
    }

    @Test
    void officialPhpSamplesPasswordRequest() {
        // ustream_api_example.zip: 'Authorization' => 'Basic ' . CLIENT_SECRET, client_id in the body.
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Http.Response response = postRaw("/oauth2/token", "grant_type=password&client_id=" + client.id()
                        + "&username=" + user.username() + "&password=" + Http.encode(Map.of("p", TestServer.PASSWORD)).substring(2)
                        + "&scope=offline+broadcaster&token_type=bearer",
                "Authorization", "Basic " + client.secret());
        Map<String, Object> body = assertTokenResponse(response);
        assertThat((String) body.get("refresh_token")).matches(HEX40);
        assertThat(body).containsEntry("scope", "broadcaster");
    }

    @Test
    void passwordGrantIsRefusedToAClientNotRegisteredForIt() {
        User user = server.createUser();
        TestClient client = server.client().create();
        assertErrorBody(postRaw("/oauth2/token", "grant_type=password&client_id=" + client.id() + "&username=" + user.username()
                + "&password=x&scope=offline+broadcaster", "Authorization", "Basic " + client.secret()), 400, "unauthorized_client");
    }

    @Test
    void codeFlowThenRefreshWithRotationThenRevocation() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris("https://example.com/get_access_token").create();
        Http.Response redirect = new BrowserFlow(server).authorize(Http.form("response_type", "code", "client_id", client.id(),
                "redirect_uri", client.redirectUri(), "state", "XYZ", "scope", "openid email", "device_name", "Example TV",
                "lang", "en_US"), user.username(), TestServer.PASSWORD);
        // https://example.com/get_access_token?code=<40 hex>&state=XYZ
        assertThat(redirect.location()).startsWith("https://example.com/get_access_token?code=");
        String code = redirect.locationParams().get("code");
        assertThat(code).matches(HEX40);
        assertThat(redirect.locationParams()).containsEntry("state", "XYZ");

        Map<String, Object> tokens = assertTokenResponse(postRaw("/oauth2/token", "grant_type=authorization_code&client_id=" + client.id()
                + "&code=" + code + "&redirect_uri=" + Http.encode(Map.of("r", client.redirectUri())).substring(2),
                "Authorization", "Basic " + client.secret()));
        String refresh = (String) tokens.get("refresh_token");
        assertThat(refresh).matches(HEX40);
        assertThat(tokens).containsKey("id_token");

        // The docs' refresh example: a new access token and a new refresh token.
        Map<String, Object> rotated = assertTokenResponse(postRaw("/oauth2/token", "grant_type=refresh_token&refresh_token=" + refresh
                + "&client_id=" + client.id(), "Authorization", "Basic " + client.secret()));
        assertThat((String) rotated.get("refresh_token")).matches(HEX40).isNotEqualTo(refresh);
        assertThat(rotated.get("access_token")).isNotEqualTo(tokens.get("access_token"));
        // A used refresh token is invalid_grant, 400.
        assertErrorBody(postRaw("/oauth2/token", "grant_type=refresh_token&refresh_token=" + refresh + "&client_id=" + client.id(),
                "Authorization", "Basic " + client.secret()), 400, "invalid_grant");

        // Revocation as documented: raw secret in Basic, token and client_id in the body; always 200.
        User other = server.createUser();
        Map<String, Object> fresh = token.tokens(client, other, "openid");
        Http.Response revoked = postRaw("/oauth2/token/revoke", "token=" + fresh.get("refresh_token") + "&client_id=" + client.id(),
                "Authorization", "Basic " + client.secret());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(token.userinfo(fresh.get("access_token")).status()).isEqualTo(401);
        Http.Response unknown = postRaw("/oauth2/token/revoke", "token=" + "f".repeat(40) + "&client_id=" + client.id(),
                "Authorization", "Basic " + client.secret());
        assertThat(unknown.status()).isEqualTo(200);
    }

    @Test
    void nativeAppWithPkceAndNoAuthorizationHeader() {
        // api-basics-native-apps: the token request carries client_id and code_verifier, no Authorization header.
        User user = server.createUser();
        TestClient client = server.client().nativeApp().redirectUris("com.example.app:/get_access_token").create();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(client, user, Http.form("code_challenge", TokenRequests.s256(verifier), "code_challenge_method", "S256"));
        Map<String, Object> tokens = assertTokenResponse(token.post(Http.form("grant_type", "authorization_code", "client_id", client.id(),
                "code", code, "redirect_uri", client.redirectUri(), "code_verifier", verifier)));
        // "Sending client secret can be omitted in case of 'native application'" when refreshing.
        assertTokenResponse(token.post(Http.form("grant_type", "refresh_token", "client_id", client.id(),
                "refresh_token", (String) tokens.get("refresh_token"))));
    }

    @Test
    void unrealEnginePluginsClientCredentialsAsMultipart() {
        // IbmLiveStreaming.cpp: multipart/form-data with client_id, client_secret and scope=broadcaster.
        User owner = server.createUser();
        TestClient client = server.client().owner(owner).create();
        Http.Response response = Http.client().postMultipart(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "client_id", client.id(), "client_secret", client.secret(), "scope", "broadcaster", "device_name", "Unreal Engine"));
        Map<String, Object> body = assertTokenResponse(response);
        assertThat(body).containsEntry("scope", "broadcaster");
        // The plugin builds its Authorization header as token_type + " " + access_token: "bearer ..." is
        // accepted (userinfo then refuses the token only for lacking openid).
        Http.Response api = Http.client().get(server.url("/oauth2/userinfo"), "Authorization", body.get("token_type") + " " + body.get("access_token"));
        assertThat(api.status()).as(api.body()).isEqualTo(403);
        assertThat(api.json()).containsEntry("error", "insufficient_scope");
        List<ConnectedApp> apps = server.database().stores().grants().listLive(owner.id(), server.clock().instant());
        assertThat(apps).anySatisfy(app -> assertThat(app.deviceName()).contains("Unreal Engine"));
    }

    @Test
    void clientCredentialsWithRawSecretBasicAndDeviceName() {
        User owner = server.createUser();
        TestClient client = server.client().owner(owner).create();
        Map<String, Object> body = assertTokenResponse(postRaw("/oauth2/token", "grant_type=client_credentials&client_id=" + client.id()
                + "&scope=broadcaster&device_name=Encoder", "Authorization", "Basic " + client.secret()));
        assertThat(body).containsEntry("scope", "broadcaster");
    }

    @Test
    void tokenTypeJwtGivesASignedJwtAccessToken() throws Exception {
        // analytics-api-getting-started: token_type=jwt as a POST parameter, with client credentials.
        TestClient client = server.client().owner(server.createUser()).create();
        Http.Response response = postRaw("/oauth2/token", "grant_type=client_credentials&client_id=" + client.id()
                + "&client_secret=" + client.secret() + "&token_type=jwt");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = response.json();
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400);
        SignedJWT jwt = SignedJWT.parse((String) body.get("access_token"));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(client.id());
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(server.issuer());
    }

    @Test
    void implicitAsTheTestingPageAndThePhpSampleUseIt() {
        // http://localhost:8000/?access_token=<40hex>&token_type=bearer&expires_in=86400&state=XYZ
        User user = server.createUser();
        TestClient client = server.client().allowImplicit().redirectUris("http://localhost:8000/").create();
        Http.Response redirect = new BrowserFlow(server).authorize(Http.form("response_type", "token", "client_id", client.id(),
                "redirect_uri", client.redirectUri(), "state", "XYZ"), user.username(), TestServer.PASSWORD);
        assertThat(redirect.location()).startsWith("http://localhost:8000/?access_token=");
        Map<String, String> params = redirect.locationParams();
        assertThat(params.get("access_token")).matches(HEX40);
        assertThat(params).containsEntry("token_type", "bearer").containsEntry("expires_in", "86400").containsEntry("state", "XYZ");
    }

    // ---- the documented errors (api-basics-authentication's table), with errors = ibm

    @Test
    void invalidClientIs400WithoutAChallenge() {
        TestClient client = server.client().create();
        assertErrorBody(postRaw("/oauth2/token", "grant_type=client_credentials&client_id=" + client.id(),
                "Authorization", "Basic " + "b".repeat(40)), 400, "invalid_client");
        assertErrorBody(postRaw("/oauth2/token", "grant_type=client_credentials&client_id=" + "0".repeat(40),
                "Authorization", "Basic " + client.secret()), 400, "invalid_client");
    }

    @Test
    void unsupportedGrantTypeIs501() {
        TestClient client = server.client().create();
        assertErrorBody(postRaw("/oauth2/token", "grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer&client_id=" + client.id(),
                "Authorization", "Basic " + client.secret()), 501, "unsupported_grant_type");
    }

    @Test
    void unknownOrExpiredCodeIs400InvalidGrant() {
        TestClient client = server.client().create();
        assertErrorBody(postRaw("/oauth2/token", "grant_type=authorization_code&client_id=" + client.id() + "&code=" + "1".repeat(40)
                + "&redirect_uri=" + client.redirectUri(), "Authorization", "Basic " + client.secret()), 400, "invalid_grant");
    }

    @Test
    void missingParameterIs400InvalidRequest() {
        TestClient client = server.client().create();
        assertErrorBody(postRaw("/oauth2/token", "grant_type=authorization_code&client_id=" + client.id(),
                "Authorization", "Basic " + client.secret()), 400, "invalid_request");
        assertErrorBody(postRaw("/oauth2/token", "client_id=" + client.id(), "Authorization", "Basic " + client.secret()),
                400, "invalid_request");
    }
}
