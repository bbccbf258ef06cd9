package dev.castgate.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each way a client may prove itself at the token endpoint (RFC 6749 §2.3), and the body formats it may use. */
class ClientAuthenticationTest {
    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    @Test
    void clientSecretBasic() {
        TestClient client = server.client().create();
        assertIssued(token.post(Http.form("grant_type", "client_credentials"), "Authorization", client.basic()));
    }

    @Test
    void clientSecretBasicWithLowerCaseSchemeAndClientIdInBody() {
        TestClient client = server.client().create();
        // RFC 9110 §11.1: the scheme is case-insensitive; a client_id in the body that agrees is harmless.
        assertIssued(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id()),
                "Authorization", "basic " + client.basic().substring("Basic ".length())));
    }

    @Test
    void clientSecretBasicExchangesACode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        assertIssued(token.post(Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic()));
    }

    @Test
    void rawSecretBasicWithClientIdInBody() {
        TestClient client = server.client().create();
        assertIssued(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id()),
                "Authorization", client.rawBasic()));
    }

    @Test
    void rawSecretBasicExchangesACode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        assertIssued(token.post(Http.form("grant_type", "authorization_code", "client_id", client.id(), "code", code,
                "redirect_uri", client.redirectUri()), "Authorization", client.rawBasic()));
    }

    @Test
    void clientSecretPost() {
        TestClient client = server.client().create();
        assertIssued(token.post(Http.form("grant_type", "client_credentials", "client_id", client.id(), "client_secret", client.secret())));
    }

    @Test
    void clientSecretPostExchangesACode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        assertIssued(token.post(Http.form("grant_type", "authorization_code", "client_id", client.id(), "client_secret", client.secret(),
                "code", code, "redirect_uri", client.redirectUri())));
    }

    @Test
    void noneForANativeClientWithPkce() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().create();
        assertThat(app.secret()).isNull();
        String verifier = TokenRequests.newVerifier();
        String code = token.code(app, user, Http.form("scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));

        Http.Response response = token.post(Http.form("grant_type", "authorization_code", "client_id", app.id(), "code", code,
                "redirect_uri", app.redirectUri(), "code_verifier", verifier));
        assertIssued(response);
        assertThat(response.json()).containsKeys("refresh_token", "id_token");

        // A native client refreshes with its client_id alone, too.
        assertIssued(token.post(Http.form("grant_type", "refresh_token", "client_id", app.id(),
                "refresh_token", (String) response.json().get("refresh_token"))));
    }

    @Test
    void multipartFormDataWithClientSecretPost() {
        TestClient client = server.client().create();
        assertIssued(multipart(Http.form("grant_type", "client_credentials", "client_id", client.id(),
                "client_secret", client.secret(), "scope", "broadcaster")));
    }

    @Test
    void multipartFormDataExchangesACodeWithBasic() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = token.code(client, user, "openid");
        assertIssued(multipart(Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic()));
    }

    @Test
    void multipartFormDataWithRawSecretBasic() {
        TestClient client = server.client().create();
        assertIssued(multipart(Http.form("grant_type", "client_credentials", "client_id", client.id()), "Authorization", client.rawBasic()));
    }

    @Test
    void basicCredentialsAreFormDecoded() {
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64; hex ones encode to themselves, so
        // an encoded-but-equal pair must work as well.
        TestClient client = server.client().create();
        String encodedId = client.id().chars().mapToObj(c -> "%" + Integer.toHexString(c).toUpperCase()).reduce("", String::concat);
        String credentials = Base64.getEncoder().encodeToString((encodedId + ":" + client.secret()).getBytes(StandardCharsets.UTF_8));
        assertIssued(token.post(Http.form("grant_type", "client_credentials"), "Authorization", "Basic " + credentials));
    }

    private static void assertIssued(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = response.json();
        assertThat((String) body.get("access_token")).matches("[0-9a-f]{40}");
        assertThat(body).containsEntry("token_type", "bearer");
    }

    /** A multipart/form-data POST, as some of the original service's clients send token requests. */
    private static Http.Response multipart(Map<String, String> fields, String... headers) {
        String boundary = "----castgate-test-" + Long.toHexString(System.nanoTime());
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return Http.client().post(server.url("/oauth2/token"), "multipart/form-data; boundary=" + boundary, body.toString(), headers);
    }
}
