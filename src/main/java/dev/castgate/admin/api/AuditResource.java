package dev.castgate.admin.api;

import dev.castgate.admin.AuditReading;
import dev.castgate.audit.Operator;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/** {@code /audit}: the trail, newest first, through {@link AuditReading}. */
record AuditResource(AuditReading reading) {
    static final int DEFAULT_LIMIT = 100;

    void list(Context ctx, Operator operator) {
        int limit = AuditReading.limit("limit", Optional.ofNullable(ctx.queryParam("limit")).map(AuditResource::number).orElse(DEFAULT_LIMIT));
        var since = reading.since("since", Optional.ofNullable(ctx.queryParam("since")).orElse("24h"));
        var types = AuditReading.types("type", String.join(",", ctx.queryParams("type")));
        Json.respond(ctx, 200, Map.of("events", reading.newest(since, types, limit).stream().map(AuditReading::describe).toList()));
    }

    private static int number(String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest("limit must be between 1 and " + AuditReading.MAX_LIMIT);
        }
    }
}
