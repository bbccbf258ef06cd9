package dev.castgate.store.jdbc;

import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.domain.ClientId;
import dev.castgate.store.Changes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL only: listens on {@code castgate_changes}, where the V18 triggers announce
 * revocations and client changes at commit, and tells {@link Changes}. It holds one connection
 * of its own ({@link DirectConnection}), so a busy pool never delays a notice.
 *
 * <p>While the connection is lost nothing is heard, so each (re)connection first tells
 * {@link Changes#everythingChanged}; meanwhile the caches' own expiry (a few seconds) is the
 * bound, as it is on SQLite.
 */
final class ChangeListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    static final String CHANNEL = "castgate_changes";
    /** How long one wait for notices lasts, which bounds how long {@link #close} waits. */
    private static final int POLL_MILLIS = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final DatabaseConfig config;
    private final Changes changes;
    private final Thread thread;
    private volatile boolean closed;

    ChangeListener(DatabaseConfig config, Changes changes) {
        this.config = config;
        this.changes = changes;
        this.thread = Thread.ofPlatform().name("castgate-change-listener").daemon(true).unstarted(this::run);
        thread.start();
    }

    private void run() {
        long backoff = 100;
        boolean warned = false;
        while (!closed) {
            try (Connection connection = DirectConnection.open(config, "castgate-change-listener"); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                changes.everythingChanged();
                if (warned) log.info("listening for changes from the other nodes again");
                warned = false;
                backoff = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notices = pg.getNotifications(POLL_MILLIS);
                    if (notices != null) for (PGNotification notice : notices) dispatch(notice.getParameter());
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                if (!warned) {
                    log.warn("not listening for changes from the other nodes ({}); cached tokens and clients expire "
                            + "by time alone until it listens again", e.toString());
                    warned = true;
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /** One notice's payload, as the triggers write it. */
    void dispatch(String payload) {
        if ("tokens".equals(payload)) {
            changes.tokensChanged();
        } else if ("keys".equals(payload)) {
            changes.keysChanged();
        } else if ("resources".equals(payload)) {
            changes.resourcesChanged();
        } else if (payload != null && payload.startsWith("client:")) {
            changes.clientChanged(new ClientId(payload.substring("client:".length())));
        } else {
            changes.everythingChanged();
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        // Ends a backoff's wait at once; a wait for notices ends within POLL_MILLIS anyway.
        thread.interrupt();
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
