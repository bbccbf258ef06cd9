package dev.castgate.web;

import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Liveness (the process answers) and readiness (the database answers). */
public final class Health {
    private final BooleanSupplier databaseReady;

    public Health(BooleanSupplier databaseReady) { this.databaseReady = databaseReady; }

    public void live(Context ctx) { Json.respond(ctx, 200, Map.of("status", "up")); }

    public void ready(Context ctx) {
        boolean ready = databaseReady.getAsBoolean();
        Json.respond(ctx, ready ? 200 : 503, Map.of("status", ready ? "up" : "down"));
    }
}
