package dev.castgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed input never yields a 500 or a stack trace: every answer is a clear OAuth
 * error (JSON) or an error page. Seeded, so a failure repeats.
 */
class BadInputTest {
    @CastgateServer static TestServer server;
    static TestClient client;
    static final List<String> FIELDS = List.of("grant_type", "code", "redirect_uri", "refresh_token", "scope", "client_id",
            "client_secret", "code_verifier", "device_name", "response_type", "state", "nonce", "code_challenge",
            "code_challenge_method", "prompt", "max_age", "login_hint", "interaction", "csrf_token", "username", "password", "decision");
    static final List<String> VALUES = List.of("", "authorization_code", "refresh_token", "client_credentials", "code", "none",
            "S256", "plain", "openid", "openid email broadcaster", "login consent", "-1", "99999999999999999999", "%zz", "\u0000",
            "<script>alert(1)</script>", "' OR 1=1 --", "é☃\uD83D\uDE00", "a".repeat(3000), "http://evil.example/cb", "login", "consent", "allow");
    /** What the revocation and introspection endpoints read, with the fields and values above. */
    static final List<String> TOKEN_FIELDS = List.of("token", "token_type_hint", "token_type", "client_id", "client_secret", "grant_type");
    static final List<String> TOKEN_VALUES = List.of("access_token", "refresh_token", "jwt", "bearer", "eyJhbGciOiJub25lIn0.e30.", "0".repeat(40));

    @BeforeAll
    static void setUp() {
        client = server.client().create();
    }

    @Test
    void randomFormsAtTheTokenEndpointGetOAuthErrors() {
        Random random = new Random(20261128);
        Http http = Http.client();
        for (int i = 0; i < 300; i++) {
            String body = randomForm(random, true);
            String[] auth = switch (random.nextInt(4)) {
                case 0 -> new String[] {"Authorization", client.basic()};
                case 1 -> new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(randomValue(random).getBytes(StandardCharsets.UTF_8)) + "x"};
                case 2 -> new String[] {"Authorization", "Bearer x"};
                default -> new String[0];
            };
            Http.Response response = http.post(server.url("/oauth2/token"), "application/x-www-form-urlencoded", body, auth);
            assertThat(response.status()).as(body).isIn(200, 400, 401);
            // A random form is now and then a valid client_credentials request.
            assertThat(response.json()).as(body).containsKeys(response.status() == 200
                    ? new String[] {"access_token", "token_type"} : new String[] {"error", "error_description"});
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.castgate");
        }
    }

    @Test
    void randomFormsAtRevocationAndIntrospectionGetAnAnswerOrAnOAuthError() {
        Random random = new Random(20261129);
        Http http = Http.client();
        for (String path : List.of("/oauth2/token/revoke", "/oauth2/revoke", "/oauth2/introspect")) {
            for (int i = 0; i < 150; i++) {
                String body = randomTokenForm(random);
                String[] auth = switch (random.nextInt(4)) {
                    case 0 -> new String[] {"Authorization", client.basic()};
                    case 1 -> new String[] {"Authorization", client.rawBasic()};
                    case 2 -> new String[] {"Authorization", "Bearer x"};
                    default -> new String[0];
                };
                Http.Response response = http.post(server.url(path), "application/x-www-form-urlencoded", body, auth);
                assertThat(response.status()).as(path + " " + body).isIn(200, 400, 401);
                if (response.status() != 200) {
                    assertThat(response.json()).as(body).containsKeys("error", "error_description");
                } else if (path.equals("/oauth2/introspect")) {
                    assertThat(response.json()).as(body).isEqualTo(java.util.Map.of("active", false));
                } else {
                    assertThat(response.body()).as(body).isEmpty();
                }
                assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.castgate");
            }
        }
    }

    @Test
    void randomAuthorizationRequestsGetAPageOrARedirectNeverAServerError() {
        Random random = new Random(7);
        Http browser = Http.browser();
        for (int i = 0; i < 200; i++) {
            String query = (random.nextBoolean() ? "client_id=" + client.id() + "&redirect_uri=" + client.redirectUri() + "&" : "")
                    + randomForm(random, false);
            Http.Response response = random.nextBoolean()
                    ? browser.get(server.url("/authorize?" + query))
                    : browser.post(server.url("/authorize"), "application/x-www-form-urlencoded", query);
            assertThat(response.status()).as(query).isIn(200, 302, 303, 400, 401, 403, 429);
            if (response.status() == 302 || response.status() == 303) {
                assertThat(response.location()).as(query).startsWith(client.redirectUri() + "?");
            }
            assertThat(response.body()).as(query).doesNotContain("Exception").doesNotContain("at dev.castgate");
        }
    }

    @Test
    void malformedBodiesAndContentTypes() {
        Http http = Http.client();
        for (String type : new String[] {"application/json", "text/plain", null, "multipart/form-data; boundary=x"}) {
            Http.Response response = http.post(server.url("/oauth2/token"), type, "{\"grant_type\":\"client_credentials\"}",
                    "Authorization", client.basic());
            assertThat(response.status()).as(String.valueOf(type)).isEqualTo(400);
            assertThat(response.json()).containsEntry("error", "invalid_request");
        }
        // Just over the 64 KiB limit: small enough that the client has sent it all before the server answers.
        byte[] big = "a".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
        // A fresh connection: after refusing the malformed bodies above the server may close the
        // kept-alive one, and a POST is not retried on a closed connection.
        Http.Response tooLarge = Http.client().post(server.url("/oauth2/token"), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&x=" + new String(big, StandardCharsets.US_ASCII), "Authorization", client.basic());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json()).containsEntry("error", "invalid_request");
    }

    /** Random fields and values; with {@code raw}, some values are left unencoded, as broken clients send them. */
    private static String randomForm(Random random, boolean raw) {
        StringBuilder body = new StringBuilder();
        int fields = random.nextInt(7);
        for (int f = 0; f < fields; f++) {
            if (f > 0) body.append('&');
            String name = random.nextInt(10) == 0 ? randomValue(random) : FIELDS.get(random.nextInt(FIELDS.size()));
            body.append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=');
            String value = randomValue(random);
            body.append(raw && random.nextInt(8) == 0 ? value : java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** Like {@link #randomForm}, with the token endpoints' own fields and values mixed in. */
    private static String randomTokenForm(Random random) {
        StringBuilder body = new StringBuilder();
        int fields = random.nextInt(6);
        for (int f = 0; f < fields; f++) {
            if (f > 0) body.append('&');
            String name = random.nextInt(3) == 0 ? FIELDS.get(random.nextInt(FIELDS.size())) : TOKEN_FIELDS.get(random.nextInt(TOKEN_FIELDS.size()));
            String value = random.nextInt(2) == 0 ? randomValue(random) : TOKEN_VALUES.get(random.nextInt(TOKEN_VALUES.size()));
            body.append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=');
            body.append(random.nextInt(8) == 0 ? value : java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private static String randomValue(Random random) {
        return VALUES.get(random.nextInt(VALUES.size()));
    }
}
