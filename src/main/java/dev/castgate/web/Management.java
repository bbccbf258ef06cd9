package dev.castgate.web;

import dev.castgate.http.ResponseHeaders;
import dev.castgate.metrics.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The management port's routes: the metrics for Prometheus, and the health checks that the main
 * port keeps answering too (for the deployments that probe it there). Nothing here is for a
 * client or a person, so the port listens on loopback unless told otherwise.
 */
public record Management(Metrics metrics, Health health) {
    /** What a request that matched no route counts under, so a scanner's paths make no series. */
    static final String UNMATCHED = "unmatched";

    public void register(RoutesConfig routes) {
        routes.before(ResponseHeaders::common);
        routes.get("/metrics", this::metrics);
        routes.get("/health/live", health::live);
        routes.get("/health/ready", health::ready);
    }

    /** Prometheus' text format, or OpenMetrics when the scraper asks for it in {@code Accept}. */
    private void metrics(Context ctx) throws IOException {
        String accept = ctx.header("Accept");
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        metrics.write(accept, body);
        ResponseHeaders.noStore(ctx);
        ctx.contentType(metrics.contentType(accept)).result(body.toByteArray());
    }

    /** The request's duration under its route's pattern (not its path, which holds ids), method and status. */
    public static void observe(Metrics metrics, Context ctx, Float millis) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? UNMATCHED : matched.path;
        metrics.request(route, ctx.method().name(), ctx.statusCode(), millis == null ? 0 : millis / 1000.0);
    }
}
