package dev.castgate.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * The database cannot be used right now, for a reason that is not the request's: it does not
 * answer, a statement ran out of time, its disk is full, another process holds its write lock.
 * Such a failure is answered {@code 503} with {@code Retry-After}, and logged a line per kind and
 * interval ({@link OutageLog}) rather than a stack trace per request. The stores throw their
 * driver's exceptions as they are; {@link #of} recognises those by the JDK's types, SQL states and
 * SQLite's result codes, so no store has to translate anything.
 */
public final class DatabaseUnavailable extends RuntimeException {
    public enum Kind {
        /** No connection: refused, timed out, broken, or the pool could not give one in time. */
        UNREACHABLE("the database does not answer"),
        /** A statement ran past the statement timeout. */
        TIMEOUT("a database statement ran out of time"),
        /** The disk is full, or failed a write. */
        FULL("the database's disk is full or failed a write"),
        /** Another process holds the write lock (SQLite), past the busy timeout. */
        BUSY("the database is locked by another writer"),
        /** The database refuses writes: a read-only file, or a PostgreSQL standby. */
        READ_ONLY("the database refuses writes");

        private final String description;

        Kind(String description) { this.description = description; }

        public String description() { return description; }
    }

    private final Kind kind;

    public DatabaseUnavailable(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public DatabaseUnavailable(Kind kind, Throwable cause) {
        super(kind.description(), cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }

    /** What kind of unavailability {@code failure} is, if it is one; anything else is a fault to report. */
    public static Optional<Kind> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<Kind> kind = kindOf(t);
            if (kind.isPresent()) return kind;
        }
        return Optional.empty();
    }

    private static Optional<Kind> kindOf(Throwable t) {
        if (t instanceof DatabaseUnavailable unavailable) return Optional.of(unavailable.kind);
        // The pool's "connection is not available, request timed out".
        if (t instanceof SQLTransientConnectionException) return Optional.of(Kind.UNREACHABLE);
        if (t instanceof ConnectException || t instanceof SocketTimeoutException) return Optional.of(Kind.UNREACHABLE);
        if (!(t instanceof SQLException sql)) return Optional.empty();
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        // PostgreSQL's SQL states (Appendix A of its manual): 08 connection exceptions; 57P01-57P03
        // the server shutting down or starting; 57014 a cancelled statement (statement_timeout);
        // 53 insufficient resources (53100 disk full); 25006 a read-only transaction (a standby).
        if (state.startsWith("08") || state.startsWith("57P")) return Optional.of(Kind.UNREACHABLE);
        if (state.equals("57014")) return Optional.of(Kind.TIMEOUT);
        if (state.startsWith("53")) return Optional.of(Kind.FULL);
        if (state.equals("25006")) return Optional.of(Kind.READ_ONLY);
        // sqlite-jdbc names SQLite's result code first in its message.
        String message = String.valueOf(sql.getMessage());
        if (message.startsWith("[SQLITE_BUSY") || message.startsWith("[SQLITE_LOCKED")) return Optional.of(Kind.BUSY);
        if (message.startsWith("[SQLITE_FULL")) return Optional.of(Kind.FULL);
        if (message.startsWith("[SQLITE_IOERR")) return Optional.of(Kind.FULL);
        if (message.startsWith("[SQLITE_READONLY")) return Optional.of(Kind.READ_ONLY);
        return Optional.empty();
    }
}
