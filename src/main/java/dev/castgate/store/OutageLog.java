package dev.castgate.store;

import dev.castgate.store.DatabaseUnavailable.Kind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of a database that is away: one line per kind of failure per interval, with the count
 * of those not logged since, instead of a line and a stack trace per request (a full disk wrote
 * 15.7 MB of log in 25 s that way). The stack trace of a kind's first line goes to the debug log.
 * One per node, shared by the error renderer and the group-commit writer.
 */
public final class OutageLog {
    private static final Logger log = LoggerFactory.getLogger(OutageLog.class);
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<Kind, Window> windows = new EnumMap<>(Kind.class);

    public OutageLog() { this(INTERVAL, System::nanoTime); }

    OutageLog(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        for (Kind kind : Kind.values()) windows.put(kind, new Window());
    }

    /** One more failure of {@code kind} at {@code where} (a request's method and path, or a part of the server). */
    public void report(Kind kind, String where, Throwable failure) {
        Window window = windows.get(kind);
        long now = nanoTime.getAsLong();
        long due = window.nextLineAt.get();
        if ((window.first || now - due >= 0) && window.nextLineAt.compareAndSet(due, now + intervalNanos)) {
            boolean first = window.first;
            window.first = false;
            long more = window.unlogged.getAndSet(0);
            log.warn("{} ({}): {}{}", kind.description(), where, reason(failure),
                    more > 0 ? "; " + more + " more since the last line" : "");
            if (first && log.isDebugEnabled()) log.debug("the first failure of its kind", failure);
        } else {
            window.unlogged.incrementAndGet();
        }
    }

    /** The database answers again: what was not logged yet, in one line per kind, and the next failure of each kind is logged at once. */
    public void recovered(Duration after) {
        StringBuilder unlogged = new StringBuilder();
        for (Map.Entry<Kind, Window> e : windows.entrySet()) {
            long more = e.getValue().unlogged.getAndSet(0);
            e.getValue().first = true;
            if (more > 0) unlogged.append("; ").append(more).append(" more: ").append(e.getKey().description());
        }
        log.info("the database answers again after {} ms{}", after.toMillis(), unlogged);
    }

    /** The innermost cause's first line: what the driver said, without the stack. */
    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
        String text = root.getClass().getSimpleName() + ": " + message;
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static final class Window {
        final AtomicLong nextLineAt = new AtomicLong();
        final AtomicLong unlogged = new AtomicLong();
        /** Until a kind's first line: its time has come whatever the clock says. */
        volatile boolean first = true;
    }
}
