package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.RawHttp;
import dev.castgate.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HEAD runs the GET route's handler and answers as GET would, without the body (security review
 * §15): authentication, rate limits and lookups apply to it, so a HEAD-based check is not misled.
 */
class HeadRequestsTest {
    @CastgateServer static TestServer server;

    private static final List<String> COMPARED = List.of("Content-Type", "Cache-Control", "WWW-Authenticate", "Content-Security-Policy",
            "X-Content-Type-Options", "ETag", "Allow");

    private static void headAnswersAsGet(String target, int expectedStatus, String... headers) {
        RawHttp.Answer get = RawHttp.send(server.url(""), "GET", target, "", headers);
        RawHttp.Answer head = RawHttp.send(server.url(""), "HEAD", target, "", headers);
        assertThat(get.status()).as("GET " + target).isEqualTo(expectedStatus);
        assertThat(head.status()).as("HEAD " + target).isEqualTo(expectedStatus);
        for (String name : COMPARED) assertThat(head.header(name)).as("HEAD " + target + " " + name).isEqualTo(get.header(name));
        assertThat(head.body()).as("HEAD " + target).isEmpty();
    }

    @Test
    void theStreamingApiChecksTheTokenAndTheResourceOnHead() {
        headAnswersAsGet("/api/users/self", 401, "Authorization", "Bearer invalid");
        headAnswersAsGet("/api/users/self.json", 401);
        headAnswersAsGet("/api/channels/doesnotexist", 404);
        headAnswersAsGet("/api/openapi.json", 200);
        RawHttp.Answer limited = RawHttp.send(server.url(""), "HEAD", "/api/channels/doesnotexist", "");
        assertThat(limited.header("X-RateLimit-Limit")).isPresent();
    }

    @Test
    void endpointsAndPagesRunTheirHandlersOnHead() {
        headAnswersAsGet("/oauth2/userinfo", 401);
        headAnswersAsGet("/oauth2/userinfo", 401, "Authorization", "Bearer invalid");
        headAnswersAsGet("/.well-known/openid-configuration", 200);
        headAnswersAsGet("/oauth2/jwks", 200);
        headAnswersAsGet("/health/live", 200);
        headAnswersAsGet("/authorize?client_id=" + "0".repeat(40) + "&response_type=code", 400);
        headAnswersAsGet("/oauth2/redirect", 400);
        headAnswersAsGet("/static/castgate.css", 200);
        headAnswersAsGet("/static/nothing.css", 404);
    }

    @Test
    void headOnARouteWithoutGetIsNotAllowed() {
        RawHttp.Answer token = RawHttp.send(server.url(""), "HEAD", "/oauth2/token", "");
        assertThat(token.status()).isEqualTo(405);
        assertThat(token.body()).isEmpty();
        assertThat(RawHttp.send(server.url(""), "HEAD", "/no/such/path", "").status()).isEqualTo(404);
    }
}
