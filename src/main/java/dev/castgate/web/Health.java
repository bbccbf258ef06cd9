package dev.castgate.web;

import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Liveness (the process answers) and readiness (a write to the database commits). Readiness asks
 * for a write, not a read: on a full disk reads went on and every write failed while it said "up".
 * It answers within {@link #READY_TIMEOUT} whatever the database does: the probe runs on a thread
 * of its own, at most one at a time (a frozen database would otherwise gather a thread per probe),
 * and a probe still running when the next one asks is a database that is not ready.
 */
public final class Health {
    /** Under the one second an orchestrator's probe gets by default (Kubernetes' timeoutSeconds). */
    static final Duration READY_TIMEOUT = Duration.ofMillis(800);

    private final Runnable probeWrite;
    private CompletableFuture<Void> probe;

    /** {@code probeWrite} returns once a write committed, and throws when it could not. */
    public Health(Runnable probeWrite) { this.probeWrite = probeWrite; }

    public void live(Context ctx) { Json.respond(ctx, 200, Map.of("status", "up")); }

    public void ready(Context ctx) {
        boolean ready = writes();
        Json.respond(ctx, ready ? 200 : 503, Map.of("status", ready ? "up" : "down"));
    }

    private boolean writes() {
        try {
            probe().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The probe in flight, or a new one on a platform thread (SQLite waits for its lock in native code). */
    private synchronized CompletableFuture<Void> probe() {
        if (probe != null && !probe.isDone()) return probe;
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("castgate-ready-probe").start(() -> {
            try {
                probeWrite.run();
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        probe = started;
        return started;
    }
}
