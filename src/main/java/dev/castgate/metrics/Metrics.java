package dev.castgate.metrics;

import dev.castgate.domain.AuditEvent;
import dev.castgate.store.HousekeepingStore;
import dev.castgate.store.PoolUse;
import dev.castgate.store.StoreObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Every metric the server keeps, in one registry per server (tests run several in one JVM), and
 * their exposition in the Prometheus text format or OpenMetrics. Label values come only from
 * small fixed sets (routes, grant types, error codes, event types) or from registered clients,
 * never from what a request wrote, so no request can make a series of its own.
 *
 * <p>Recording is a map look-up and an add on a striped counter, cheap enough for every request;
 * exemplars are off, since no trace would carry them.
 */
public final class Metrics implements StoreObserver {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    private final Counter tokenRequests = Counter.builder().name("castgate_token_requests_total")
            .help("Token endpoint requests by grant type, authenticated client (empty when it did not authenticate) and outcome "
                    + "(issued, or the OAuth error code)")
            .labelNames("grant_type", "client_id", "outcome").withoutExemplars().register(registry);
    private final Histogram requests = Histogram.builder().name("castgate_http_request_duration_seconds")
            .help("Time to answer a request, by route (the path pattern that matched), method and status")
            .labelNames("route", "method", "status")
            .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars().register(registry);
    private final Counter auditEvents = Counter.builder().name("castgate_audit_events_total")
            .help("Audit events written, by type and outcome: sign-ins (login), throttled sign-ins (login_throttled), "
                    + "second steps, refused publishes, account and client changes")
            .labelNames("type", "outcome").withoutExemplars().register(registry);
    private final Counter rateLimitRefusals = Counter.builder().name("castgate_rate_limit_refusals_total")
            .help("Streaming API requests refused by the rate limit, by the limit reached (token or address)")
            .labelNames("limit").withoutExemplars().register(registry);
    private final Counter publishChecks = Counter.builder().name("castgate_publish_checks_total")
            .help("RTMP publish checks, by outcome (allowed, or refused: a wrong key or password, or an address over its refusals)")
            .labelNames("outcome").withoutExemplars().register(registry);
    private final Histogram batches = Histogram.builder().name("castgate_group_commit_batch_requests")
            .help("Requests whose writes committed together in one group-commit batch")
            .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .withoutExemplars().register(registry);
    private final Counter housekeeping = Counter.builder().name("castgate_housekeeping_deleted_rows_total")
            .help("Rows deleted by housekeeping, by table").labelNames("table").withoutExemplars().register(registry);

    /**
     * The JVM's and the process's metrics, as the client's JvmMetrics registers them, but for
     * native memory tracking: it is off in Castgate's JVM, so it reports nothing, and asking the
     * JVM for it cost a fifth of a second of every start.
     */
    public Metrics() {
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /** The connection pool's figures, read at each scrape. */
    public void databasePool(Supplier<PoolUse> pool) {
        GaugeWithCallback.builder().name("castgate_database_connections")
                .help("Database connections of this node's pool: active (in use), idle, max (the pool's size), "
                        + "waiting (requests waiting for one)")
                .labelNames("state")
                .callback(callback -> {
                    PoolUse use = pool.get();
                    callback.call(use.active(), "active");
                    callback.call(use.idle(), "idle");
                    callback.call(use.max(), "max");
                    callback.call(use.waiting(), "waiting");
                })
                .register(registry);
    }

    public void tokenRequest(String grantType, String clientId, String outcome) {
        tokenRequests.labelValues(grantType, clientId, outcome).inc();
    }

    public void request(String route, String method, int status, double seconds) {
        requests.labelValues(route, method, Integer.toString(status)).observe(seconds);
    }

    public void rateLimitRefused(String limit) {
        rateLimitRefusals.labelValues(limit).inc();
    }

    public void publishCheck(String outcome) {
        publishChecks.labelValues(outcome).inc();
    }

    public void housekeeping(HousekeepingStore.Deleted deleted) {
        deleted.byTable().forEach((table, rows) -> {
            if (rows > 0) housekeeping.labelValues(table).inc(rows);
        });
    }

    @Override
    public void audited(AuditEvent event) {
        auditEvents.labelValues(event.type().wireName(), event.outcome().wireName()).inc();
    }

    @Override
    public void batchWritten(int requests) {
        batches.observe(requests);
    }

    /** The content type of the format the {@code Accept} header asks for (OpenMetrics, else the Prometheus text format). */
    public String contentType(String accept) {
        return writer(accept).getContentType();
    }

    /** Writes every metric in that format. */
    public void write(String accept, OutputStream out) throws IOException {
        writer(accept).write(out, registry.scrape());
    }

    private ExpositionFormatWriter writer(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        // The protobuf format's writer is not in the jar: a scraper asking for it gets text.
        return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
    }
}
