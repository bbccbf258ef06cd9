package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management port (README, Metrics): Prometheus metrics and the health checks, apart from
 * the port people and clients use, and off unless asked for. Each metric is read after the
 * requests that move it; a server of its own, so no other test moves them meanwhile.
 */
class MetricsTest {
    private static TestServer server;

    @CastgateServer static TestServer withoutManagement;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("CASTGATE_MANAGEMENT_PORT", Integer.toString(TestServer.freePort()),
                "CASTGATE_API_RATE_LIMIT_PER_ADDRESS", "2"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void metricsAreInThePrometheusTextFormatOrOpenMetricsWhenAskedFor() {
        Http.Response text = Http.client().get(management("/metrics"));
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.header("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text.header("Cache-Control")).contains("no-store");
        assertThat(text.body()).contains("# TYPE castgate_http_request_duration_seconds histogram", "# TYPE jvm_memory_used_bytes gauge");

        Http.Response open = Http.client().get(management("/metrics"), "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.header("Content-Type")).contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.body()).endsWith("# EOF\n");
    }

    @Test
    void tokenRequestsAreCountedByGrantTypeClientAndOutcome() {
        TestClient client = server.client().create();
        TestClient wrong = new TestClient(client.id(), "not-the-secret", client.redirectUri(), client.name());
        token(client, "client_credentials");
        token(client, "client_credentials");
        token(wrong, "client_credentials");
        token(client, "urn:example:made-up");
        token(client, "authorization_code");

        String body = metrics();
        assertThat(value(body, "castgate_token_requests_total{client_id=\"" + client.id() + "\",grant_type=\"client_credentials\",outcome=\"issued\"}"))
                .isEqualTo(2);
        assertThat(value(body, "castgate_token_requests_total{client_id=\"\",grant_type=\"client_credentials\",outcome=\"invalid_client\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(body, "castgate_token_requests_total{client_id=\"" + client.id() + "\",grant_type=\"unsupported\",outcome=\"unsupported_grant_type\"}"))
                .isEqualTo(1);
        assertThat(value(body, "castgate_token_requests_total{client_id=\"" + client.id() + "\",grant_type=\"authorization_code\",outcome=\"invalid_request\"}"))
                .isEqualTo(1);
        assertThat(body).doesNotContain("made-up");
        // Both issued tokens were written by the group-commit writer.
        assertThat(value(body, "castgate_group_commit_batch_requests_sum")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void requestDurationsAreByRoutePatternMethodAndStatus() {
        Http.client().get(server.url("/.well-known/openid-configuration"));
        Http.client().get(server.url("/no/such/path-12345"));

        String body = metrics();
        assertThat(value(body, "castgate_http_request_duration_seconds_count{method=\"GET\",route=\"/.well-known/openid-configuration\",status=\"200\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(body, "castgate_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(body).doesNotContain("path-12345");
    }

    @Test
    void failedSignInsAreCountedFromTheAuditTrail() {
        var user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username(), "password", "not-the-password"),
                "Authorization", client.basic());
        assertThat(r.status()).isEqualTo(400);

        assertThat(value(metrics(), "castgate_audit_events_total{outcome=\"failure\",type=\"login\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void refusedPublishesAndRateLimitedApiRequestsAreCounted() {
        Http.Response publish = Http.client().postForm(server.url("/api/broadcast/on_publish"), Http.form("name", "no-such-stream", "key", "x"));
        assertThat(publish.status()).isEqualTo(403);
        for (int i = 0; i < 3; i++) Http.client().get(server.url("/api/users/self.json"));

        String body = metrics();
        assertThat(value(body, "castgate_publish_checks_total{outcome=\"refused\"}")).isEqualTo(1);
        assertThat(value(body, "castgate_rate_limit_refusals_total{limit=\"address\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void housekeepingDeletionsAreCountedByTable() {
        TestClient client = server.client().accessTokenTtl(Duration.ofSeconds(60)).create();
        token(client, "client_credentials");
        server.clock().advance(Duration.ofHours(2));
        try {
            server.sweep();
        } finally {
            server.clock().advance(Duration.ofHours(-2));
        }
        assertThat(value(metrics(), "castgate_housekeeping_deleted_rows_total{table=\"access_tokens\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theConnectionPoolIsShown() {
        assertThat(value(metrics(), "castgate_database_connections{state=\"max\"}")).isEqualTo(4);
    }

    @Test
    void healthIsOnTheManagementPortAndStillOnTheMainOne() {
        for (String url : new String[] {management("/health/ready"), server.url("/health/ready")}) {
            Http.Response r = Http.client().get(url);
            assertThat(r.status()).as(url).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"up\"}");
        }
        assertThat(Http.client().get(management("/health/live")).status()).isEqualTo(200);
    }

    @Test
    void theManagementPortIsOffUnlessSetAndTheMainPortHasNoMetrics() {
        assertThat(Http.client().get(withoutManagement.url("/metrics")).status()).isEqualTo(404);
        assertThat(Http.client().get(server.url("/metrics")).status()).isEqualTo(404);
        org.assertj.core.api.Assertions.assertThatThrownBy(withoutManagement::managementPort).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyMetricTheShippedDashboardQueriesExists() throws java.io.IOException {
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("deploy/grafana-dashboard.json"));
        // Moves the counters that exist only once moved, so their TYPE lines are there.
        TestClient client = server.client().create();
        token(client, "client_credentials");
        String body = metrics();
        Matcher names = Pattern.compile("\\b((?:castgate|jvm|process)_[a-z_]+)").matcher(dashboard);
        int found = 0;
        while (names.find()) {
            String name = names.group(1).replaceAll("_(bucket|sum|count)$", "");
            assertThat(body).as(name).containsPattern("(?m)^# TYPE " + Pattern.quote(name) + " ");
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(10);
    }

    private static void token(TestClient client, String grantType) {
        Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", grantType), "Authorization", client.basic());
    }

    private static String management(String path) {
        return "http://127.0.0.1:" + server.managementPort() + path;
    }

    private static String metrics() {
        Http.Response r = Http.client().get(management("/metrics"));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    /** The sample's value; 0 when the series does not exist (a counter not yet moved). */
    private static double value(String body, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
