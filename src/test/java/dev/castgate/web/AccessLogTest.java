package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The access log and the request id (README, Logs): a line per request with what was asked and
 * how it ended, no secret from the query or body in it, and an id that the answer, the line and
 * the request's other lines share.
 */
class AccessLogTest {
    private static final String ID = "[0-9a-f]{24}";

    @CastgateServer static TestServer server;
    @CastgateServer("CASTGATE_HTTP_TRUSTED_PROXIES=127.0.0.1/32") static TestServer behindProxy;
    @CastgateServer("CASTGATE_LOG_ACCESS=false") static TestServer quiet;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void listen() {
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void detach() {
        root.detachAppender(lines);
    }

    @Test
    void everyAnswerCarriesItsOwnRequestId() {
        Set<String> ids = new HashSet<>();
        for (String path : List.of("/health/live", "/.well-known/openid-configuration", "/no/such/page", "/health/live")) {
            Http.Response r = Http.client().get(server.url(path));
            String id = r.header("X-Request-Id").orElseThrow();
            assertThat(id).matches(ID);
            ids.add(id);
        }
        assertThat(ids).hasSize(4);
    }

    @Test
    void aTokenRequestIsOneLineWithItsClientAndNoSecret() {
        TestClient client = server.client().create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", client.basic());
        assertThat(r.status()).isEqualTo(200);
        String token = (String) r.json().get("access_token");

        ILoggingEvent line = accessLine(r);
        assertThat(line.getFormattedMessage()).matches("POST /oauth2/token 200 \\d+\\.\\d ms 127\\.0\\.0\\.1 client=" + client.id());
        assertThat(keyValues(line)).containsEntry("method", "POST").containsEntry("target", "/oauth2/token")
                .containsEntry("status", "200").containsEntry("ip", "127.0.0.1").containsEntry("client_id", client.id())
                .containsKey("duration_ms");
        assertThat(everythingLogged()).doesNotContain(client.secret()).doesNotContain(token);
    }

    @Test
    void aFailedClientAuthenticationNamesNoClient() {
        TestClient client = server.client().create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", new TestClient(client.id(), "wrong-secret", client.redirectUri(), client.name()).basic());
        assertThat(r.status()).isEqualTo(401);

        ILoggingEvent line = accessLine(r);
        assertThat(line.getFormattedMessage()).matches("POST /oauth2/token 401 \\d+\\.\\d ms 127\\.0\\.0\\.1");
        assertThat(keyValues(line)).doesNotContainKey("client_id");
    }

    @Test
    void queryValuesThatMayBeSecretAreNotLogged() {
        TestClient client = server.client().create();
        Http.Response r = Http.client().get(server.url("/authorize?response_type=code&client_id=" + client.id()
                + "&redirect_uri=https%3A%2F%2Fsecret-host.example%2Fcb&state=secret-state&code_challenge=secret-challenge"
                + "&code_challenge_method=S256&scope=openid&flag"));

        ILoggingEvent line = accessLine(r);
        assertThat(line.getFormattedMessage()).startsWith("GET /authorize?response_type=code&client_id=" + client.id()
                + "&redirect_uri=*&state=*&code_challenge=*&code_challenge_method=S256&scope=openid&flag " + r.status() + " ");
        assertThat(everythingLogged()).doesNotContain("secret-state").doesNotContain("secret-challenge").doesNotContain("secret-host");
    }

    @Test
    void theBearerTokensClientIsNamedAtUserinfo() {
        TestClient client = server.client().create();
        String token = (String) Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", client.basic()).json().get("access_token");
        // No openid scope: refused, but after the token was verified, so its client is known.
        Http.Response r = Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + token);
        assertThat(r.status()).isEqualTo(403);

        assertThat(accessLine(r).getFormattedMessage()).endsWith(" client=" + client.id());
        assertThat(everythingLogged()).doesNotContain(token);
    }

    @Test
    void thePathIsLoggedAsSentWithNoLineBreakDecoded() {
        Http.Response r = Http.client().get(server.url("/no%0d%0afake%20line"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(accessLine(r).getFormattedMessage()).startsWith("GET /no%0d%0afake%20line 404 ");
    }

    @Test
    void anIdSentByAnyoneButATrustedProxyIsReplaced() {
        Http.Response r = Http.client().get(server.url("/health/live"), "X-Request-Id", "chosen-by-the-client");
        assertThat(r.header("X-Request-Id").orElseThrow()).matches(ID);
        assertThat(accessLine(r).getMDCPropertyMap()).containsEntry("request_id", r.header("X-Request-Id").orElseThrow());
    }

    @Test
    void aTrustedProxysIdIsKeptWhenItIsWellFormed() {
        Http.Response kept = Http.client().get(behindProxy.url("/health/live"), "X-Request-Id", "0f8e2a6c-1d3b-4c5a-9e7f-000000000001");
        assertThat(kept.header("X-Request-Id")).contains("0f8e2a6c-1d3b-4c5a-9e7f-000000000001");
        assertThat(accessLine(kept).getMDCPropertyMap()).containsEntry("request_id", "0f8e2a6c-1d3b-4c5a-9e7f-000000000001");

        for (String bad : List.of("with space", "<script>", "x".repeat(129), "")) {
            Http.Response replaced = Http.client().get(behindProxy.url("/health/live"), "X-Request-Id", bad);
            assertThat(replaced.header("X-Request-Id").orElseThrow()).as(bad).matches(ID);
        }
    }

    @Test
    void withTheAccessLogOffTheIdIsStillAnswered() {
        Http.Response r = Http.client().get(quiet.url("/health/live"));
        String id = r.header("X-Request-Id").orElseThrow();
        assertThat(id).matches(ID);
        // A later request on the logging server, logged after the first would have been: the first never is.
        accessLine(Http.client().get(server.url("/health/live")));
        assertThat(lines.list).noneMatch(e -> id.equals(e.getMDCPropertyMap().get("request_id")));
    }

    /** The access line of the request that got {@code r}, written once the answer is sent. */
    private ILoggingEvent accessLine(Http.Response r) {
        String id = r.header("X-Request-Id").orElseThrow();
        return await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().stream()
                .filter(e -> e.getLoggerName().equals("castgate.access") && id.equals(e.getMDCPropertyMap().get("request_id")))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private List<ILoggingEvent> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
    }

    private String everythingLogged() {
        return snapshot().stream().map(e -> e.getFormattedMessage() + " " + keyValues(e)).collect(Collectors.joining("\n"));
    }

    private static Map<String, String> keyValues(ILoggingEvent e) {
        List<KeyValuePair> pairs = e.getKeyValuePairs() == null ? List.of() : e.getKeyValuePairs();
        return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value)));
    }
}
