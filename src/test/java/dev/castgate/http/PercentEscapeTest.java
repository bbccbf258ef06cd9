package dev.castgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.RawHttp;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A malformed percent-escape is a malformed request (400 invalid_request), never a parameter
 * silently left out: security review finding 13, where {@code scope=%zzemail} was answered with
 * a token of the client's default scope.
 */
class PercentEscapeTest {
    private static final Map<String, Object> MALFORMED = Map.of("error", "invalid_request",
            "error_description", "the request has a malformed percent-escape (% must be followed by two hexadecimal digits)");

    @CastgateServer static TestServer server;
    static TestClient client;

    @BeforeAll
    static void registerClient() { client = server.client().create(); }

    @Test
    void aMalformedEscapeInAFormBodyIsRefused() {
        for (String body : new String[] {"grant_type=client_credentials&scope=%zzemail", "grant_type=client_credentials&scope=email%2",
                "grant_type=client_credentials&scope=email%", "grant_type=client_credentials&sc%oe=email", "grant_type=%zz"}) {
            Http.Response response = Http.client().post(server.url("/oauth2/token"), "application/x-www-form-urlencoded", body,
                    "Authorization", client.basic());
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json()).as(body).isEqualTo(MALFORMED);
        }
    }

    @Test
    void aMalformedEscapeInTheQueryOfAFormPostIsRefused() throws Exception {
        RawHttp.Answer answer = RawHttp.send(server.issuer(), "POST", "/oauth2/token?x=%G1", "grant_type=client_credentials",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", client.basic());
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(new ObjectMapper().readValue(answer.body(), Map.class)).isEqualTo(MALFORMED);
    }

    @Test
    void wellFormedEscapesStillDecode() {
        Http.Response response = Http.client().post(server.url("/oauth2/token"), "application/x-www-form-urlencoded",
                "grant_type=client%5Fcredentials&device_name=%C3%9Cn%C3%AFcode+%E2%9C%93", "Authorization", client.basic());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void onAPageAMalformedEscapeInTheQueryIsAnErrorPage() {
        RawHttp.Answer answer = RawHttp.send(server.issuer(), "GET", "/authorize?response_type=code&client_id=" + client.id()
                + "&redirect_uri=" + URLEncoder.encode(client.redirectUri(), StandardCharsets.UTF_8) + "&state=s&scope=%zzopenid", "");
        assertMalformedPage(answer.status(), answer.header("Content-Type"), answer.body());
    }

    @Test
    void onAPageAMalformedEscapeInTheFormIsAnErrorPage() {
        Http.Response response = Http.browser().post(server.url("/signup"), "application/x-www-form-urlencoded",
                "username=al%zzice&email=alice%40example.com");
        assertMalformedPage(response.status(), response.header("Content-Type"), response.body());
    }

    private static void assertMalformedPage(int status, Optional<String> type, String body) {
        assertThat(status).as(body).isEqualTo(400);
        assertThat(type).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(body).contains("<html").contains("This request could not be read");
    }
}
