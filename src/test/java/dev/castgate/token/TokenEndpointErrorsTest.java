package dev.castgate.token;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertError;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error RFC 6749 §5.2 names, as the token endpoint answers it: status, headers and the whole body. */
class TokenEndpointErrorsTest {
    private static final String INVALID_CODE = "the authorization code is invalid, expired or was issued to another client";
    private static final String AUTH_FAILED = "client authentication failed";

    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    // invalid_request
    @Test
    void missingGrantType() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("scope", "broadcaster")),
                "invalid_request", "parameter grant_type is missing");
    }

    @Test
    void emptyGrantTypeCountsAsMissing() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "")), "invalid_request", "parameter grant_type is missing");
    }

    @Test
    void repeatedGrantType() {
        TestClient client = server.client().create();
        Http.Response response = Http.client().post(server.url("/oauth2/token"), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&grant_type=client_credentials", "Authorization", client.basic());
        assertBadRequest(response, "invalid_request", "parameter grant_type is repeated");
    }

    @Test
    void repeatedCode() {
        TestClient client = server.client().create();
        Http.Response response = Http.client().post(server.url("/oauth2/token"), "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=" + "a".repeat(40) + "&code=" + "b".repeat(40), "Authorization", client.basic());
        assertBadRequest(response, "invalid_request", "parameter code is repeated");
    }

    @Test
    void jsonBody() {
        TestClient client = server.client().create();
        Http.Response response = Http.client().post(server.url("/oauth2/token"), "application/json",
                "{\"grant_type\":\"client_credentials\"}", "Authorization", client.basic());
        assertBadRequest(response, "invalid_request", "the request body must be application/x-www-form-urlencoded");
    }

    @Test
    void noContentType() {
        TestClient client = server.client().create();
        Http.Response response = Http.client().post(server.url("/oauth2/token"), null,
                "grant_type=client_credentials", "Authorization", client.basic());
        assertBadRequest(response, "invalid_request", "the request body must be application/x-www-form-urlencoded");
    }

    @Test
    void missingCode() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "redirect_uri", client.redirectUri())),
                "invalid_request", "parameter code is missing");
    }

    @Test
    void missingRefreshToken() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "refresh_token")),
                "invalid_request", "parameter refresh_token is missing");
    }

    /** RFC 6749 §5.2 names "more than one mechanism for authenticating the client" an invalid_request. */
    @Test
    void secretSentInHeaderAndBody() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id(),
                        "client_secret", client.secret()), "Authorization", client.basic()),
                "invalid_request", "the client secret was sent in more than one way");
    }

    @Test
    void rawSecretInHeaderAndSecretInBody() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id(),
                        "client_secret", client.secret()), "Authorization", client.rawBasic()),
                "invalid_request", "the client secret was sent in more than one way");
    }

    @Test
    void clientIdInBodyDiffersFromBasicHeader() {
        TestClient client = server.client().create();
        TestClient other = server.client().create();
        assertBadRequest(token.post(Http.form("grant_type", "client_credentials", "client_id", other.id()), "Authorization", client.basic()),
                "invalid_request", "client_id in the body differs from the Authorization header");
    }

    // invalid_client
    @Test
    void unknownClientWithBasic() {
        TestClient unknown = new TestClient("0".repeat(40), "1".repeat(40), null, "unknown");
        assertInvalidClient(token.post(unknown, Http.form("grant_type", "client_credentials")), AUTH_FAILED);
    }

    @Test
    void unknownClientWithPost() {
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials", "client_id", "0".repeat(40),
                "client_secret", "1".repeat(40))), AUTH_FAILED);
    }

    @Test
    void unknownClientWithoutSecret() {
        assertInvalidClient(token.post(Http.form("grant_type", "authorization_code", "client_id", "0".repeat(40),
                "code", "a".repeat(40))), AUTH_FAILED);
    }

    @Test
    void wrongSecretWithBasic() {
        TestClient client = server.client().create();
        TestClient wrong = new TestClient(client.id(), "f".repeat(40), null, client.name());
        assertInvalidClient(token.post(wrong, Http.form("grant_type", "client_credentials")), AUTH_FAILED);
    }

    @Test
    void anotherClientsSecretWithBasic() {
        TestClient client = server.client().create();
        TestClient other = server.client().create();
        TestClient mixed = new TestClient(client.id(), other.secret(), null, client.name());
        assertInvalidClient(token.post(mixed, Http.form("grant_type", "client_credentials")), AUTH_FAILED);
    }

    @Test
    void wrongSecretWithRawBasic() {
        TestClient client = server.client().create();
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id()),
                "Authorization", "Basic " + "f".repeat(40)), AUTH_FAILED);
    }

    @Test
    void rawBasicForUnknownClient() {
        TestClient client = server.client().create();
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials", "client_id", "0".repeat(40)),
                "Authorization", client.rawBasic()), AUTH_FAILED);
    }

    @Test
    void wrongSecretWithPost() {
        TestClient client = server.client().create();
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id(),
                "client_secret", "f".repeat(40))), AUTH_FAILED);
    }

    @Test
    void webClientSendingNoSecret() {
        TestClient client = server.client().create();
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id())),
                "the client must authenticate with its secret");
    }

    @Test
    void noClientAuthenticationAtAll() {
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials")), "no client authentication was sent");
    }

    @Test
    void nativeClientSendingASecret() {
        TestClient app = server.client().nativeApp().create();
        assertInvalidClient(token.post(Http.form("grant_type", "authorization_code", "client_id", app.id(),
                "client_secret", "f".repeat(40), "code", "a".repeat(40))), AUTH_FAILED);
    }

    @Test
    void basicCredentialsWithoutColon() {
        String credentials = java.util.Base64.getEncoder().encodeToString("no-colon-here".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials"), "Authorization", "Basic " + credentials),
                "the Basic credentials are not client_id:client_secret");
    }

    @Test
    void basicCredentialsNotBase64() {
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials"), "Authorization", "Basic %%%"),
                "the Basic credentials are not valid base64");
    }

    @Test
    void bearerSchemeIsNotClientAuthentication() {
        TestClient client = server.client().create();
        assertInvalidClient(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id()),
                "Authorization", "Bearer " + client.secret()), "unsupported Authorization scheme for client authentication");
    }

    // unsupported_grant_type
    @Test
    void unknownGrantType() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "urn:example:unknown")),
                "unsupported_grant_type", "grant_type urn:example:unknown is not supported");
    }

    @Test
    void grantTypesAreCaseSensitive() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "Client_Credentials")),
                "unsupported_grant_type", "grant_type Client_Credentials is not supported");
    }

    @Test
    void legacyImplicitIsNoGrantType() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "implicit")),
                "unsupported_grant_type", "grant_type implicit is not supported");
    }

    /** RFC 6749 §5.2: error_description holds only %x20-21 / %x23-5B / %x5D-7E, whatever the client sent. */
    @Test
    void grantTypeOutsideTheDescriptionCharactersIsNotEchoed() {
        TestClient client = server.client().create();
        // (A line break would be refused before: no parameter holds a control character.)
        Http.Response response = token.post(client, Http.form("grant_type", "x\"y\\z\u00e9w"));
        assertBadRequest(response, "unsupported_grant_type", "the grant_type is not supported");
        assertThat((String) response.json().get("error_description")).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    }

    @Test
    void overlongGrantTypeIsNotEchoed() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "w".repeat(500))),
                "unsupported_grant_type", "the grant_type is not supported");
    }

    // unauthorized_client
    @Test
    void webClientWithoutClientCredentials() {
        TestClient client = server.client().grants(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN).create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster")),
                "unauthorized_client", "the client is not allowed to use the client_credentials grant");
    }

    @Test
    void clientWithoutRefreshTokenGrant() {
        TestClient client = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        assertBadRequest(token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", "a".repeat(40))),
                "unauthorized_client", "the client is not allowed to use the refresh_token grant");
    }

    @Test
    void clientWithoutAuthorizationCodeGrant() {
        TestClient client = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "code", "a".repeat(40))),
                "unauthorized_client", "the client is not allowed to use the authorization_code grant");
    }

    @Test
    void codeClientWithoutRefreshGrantGetsNoRefreshToken() {
        User user = server.createUser();
        TestClient client = server.client().grants(GrantType.AUTHORIZATION_CODE).create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");
        assertThat(tokens).doesNotContainKey("refresh_token").containsKeys("access_token", "id_token");
    }

    // invalid_grant
    @Test
    void unknownCode() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "code", "0".repeat(40),
                "redirect_uri", client.redirectUri())), "invalid_grant", INVALID_CODE);
    }

    @Test
    void codeIssuedToAnotherClient() {
        User user = server.createUser();
        TestClient owner = server.client().create();
        TestClient thief = server.client().create();
        String code = token.code(owner, user, "openid");

        assertBadRequest(token.post(thief, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", owner.redirectUri())), "invalid_grant", INVALID_CODE);

        // The attempt neither used up nor revoked the code: its own client still gets tokens.
        Http.Response own = token.post(owner, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", owner.redirectUri()));
        assertThat(own.status()).as(own.body()).isEqualTo(200);
    }

    @Test
    void redirectUriMismatch() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris("http://127.0.0.1:9/callback", "http://127.0.0.1:9/other").create();
        String code = token.code(client, user, "openid");
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", "http://127.0.0.1:9/other")), "invalid_grant", "redirect_uri does not match the authorization request");
    }

    @Test
    void redirectUriOmittedThoughTheAuthorizationRequestHadIt() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "code", code)),
                "invalid_grant", "redirect_uri is required because the authorization request included it");
    }

    @Test
    void redirectUriMayBeOmittedWhenTheAuthorizationRequestOmittedIt() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, Http.form("scope", "openid", "redirect_uri", null));
        Http.Response response = token.post(client, Http.form("grant_type", "authorization_code", "code", code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void expiredCode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        server.clock().advance(Duration.ofSeconds(61));
        assertBadRequest(token.post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri())), "invalid_grant", INVALID_CODE);
    }

    @Test
    void unknownRefreshToken() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", "0".repeat(40))),
                "invalid_grant", "the refresh token is invalid, expired, revoked or was issued to another client");
    }

    // invalid_scope
    @Test
    void unknownScope() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster channels:write")),
                "invalid_scope", "unknown scope: channels:write");
    }

    @Test
    void scopeNotAllowedForTheClient() {
        TestClient client = server.client().scope("openid email").create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster")),
                "invalid_scope", "the client is not allowed the scope: broadcaster");
    }

    @Test
    void openidWithClientCredentials() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "scope", "openid")),
                "invalid_scope", "openid needs a person to sign in; use the authorization code grant");
    }

    @Test
    void scopeWithCharactersOutsideTheSyntax() {
        TestClient client = server.client().create();
        assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "scope", "broad\"caster")),
                "invalid_scope", "scope holds characters that are not allowed");
    }

    // methods other than POST
    @Test
    void getIsNotAllowed() {
        Http.Response response = Http.client().get(server.url("/oauth2/token?grant_type=client_credentials"));
        assertError(response, 405, "invalid_request", "method GET is not allowed here");
        // RFC 9110 §15.5.6: a 405 lists the methods the resource supports.
        assertThat(response.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
    }

    @Test
    void overlargeBody() {
        TestClient client = server.client().create();
        Http.Response response = token.post(client, Http.form("grant_type", "client_credentials", "device_name", "d".repeat(70_000)));
        assertError(response, 413, "invalid_request", "the request body is too large");
    }
}
