package dev.castgate;

import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.keys.KeyFileProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Why the server could not start, where the operator can do something about it: a port in use,
 * a database folder or file that cannot be written, a database that does not answer, a key file
 * that is missing or does not match the database. Its
 * message is one line saying what and what to do; the command line prints it and exits with 2,
 * as for a bad configuration. A new operator met 26 to 43 lines of stack trace for each of these.
 * Anything not recognised here is left as it was, with its stack trace: that is a fault to report.
 */
public final class StartFailure extends RuntimeException {
    private StartFailure(String message) {
        super(message, null, false, false);
    }

    /** A failure to listen on {@code host:port}, which the setting named by {@code env} chose. */
    static RuntimeException listening(RuntimeException e, String host, int port, String env) {
        return cause(e, BindException.class).<RuntimeException>map(bind -> new StartFailure(
                "Address already in use".equalsIgnoreCase(bind.getMessage())
                        ? "port " + port + " on " + host + " is in use: stop the program that holds it, or choose another port (" + env + ")"
                        : "cannot listen on " + host + ":" + port + " (" + lower(bind.getMessage()) + "): choose an address of this "
                                + "machine (CASTGATE_HOST) and a port this user may open (" + env + ")"))
                .orElse(e);
    }

    /** Runs a step that reads the key file or opens the keys at rest; a {@link KeyFileProblem} is one line, like the others. */
    static <T> T keys(Supplier<T> step) {
        try {
            return step.get();
        } catch (KeyFileProblem problem) {
            throw new StartFailure(problem.getMessage());
        }
    }

    /** A failure to open the database: its folder, its file, or the connection to it. */
    static RuntimeException database(RuntimeException e, DatabaseConfig config) {
        if (config.sqlite()) {
            // Database.open's own words, naming the folder.
            Optional<IOException> io = e instanceof UncheckedIOException u && String.valueOf(u.getMessage())
                    .startsWith("cannot create the database folder") ? Optional.of(u.getCause()) : Optional.empty();
            if (io.isPresent()) {
                return new StartFailure(e.getMessage() + " (" + reason(io.get()) + "): choose a folder this user can write in "
                        + "database.url (CASTGATE_DATABASE_URL)");
            }
            return cause(e, SQLException.class).filter(StartFailure::sqliteCannotWrite).<RuntimeException>map(sql -> new StartFailure(
                    "cannot open the SQLite database " + ConfigLoader.sqlitePath(config.jdbcUrl()) + " (" + sqliteReason(sql)
                            + "): make it and its folder writable by this user, or choose another file in database.url "
                            + "(CASTGATE_DATABASE_URL)"))
                    .orElse(e);
        }
        Optional<SQLException> sql = cause(e, SQLException.class);
        String state = sql.map(SQLException::getSQLState).orElse("");
        // The URL without its query, which may hold a password.
        String where = "the database at " + config.jdbcUrl().split("\\?", 2)[0];
        if (state.startsWith("28")) {
            return new StartFailure("cannot sign in to " + where + " (" + firstLine(sql.get()) + "): correct database.username "
                    + "and database.password (CASTGATE_DATABASE_USERNAME, CASTGATE_DATABASE_PASSWORD)");
        }
        if (state.equals("3D000")) {
            return new StartFailure(where + " does not exist: create it, or correct database.url (CASTGATE_DATABASE_URL)");
        }
        Optional<String> network = cause(e, ConnectException.class).map(c -> "connection refused")
                .or(() -> cause(e, UnknownHostException.class).map(u -> "unknown host " + u.getMessage()))
                .or(() -> cause(e, SocketTimeoutException.class).map(t -> "no answer in time"));
        if (network.isEmpty() && !state.startsWith("08")) return e;
        String reason = network.orElseGet(() -> firstLine(sql.get()));
        return new StartFailure("cannot connect to " + where + " (" + reason + "): start it, or correct database.url "
                + "(CASTGATE_DATABASE_URL)");
    }

    /**
     * Whether the failure to open the database may end by itself: PostgreSQL refusing or not
     * answering connections, or still starting (57P03). Not a rejected sign-in, a missing database,
     * an unknown host or anything on SQLite: those need the operator.
     */
    static boolean mayComeUp(RuntimeException e, DatabaseConfig config) {
        if (config.sqlite()) return false;
        String state = cause(e, SQLException.class).map(SQLException::getSQLState).orElse("");
        if (state.startsWith("28") || state.equals("3D000") || cause(e, UnknownHostException.class).isPresent()) return false;
        return cause(e, ConnectException.class).isPresent() || cause(e, SocketTimeoutException.class).isPresent()
                || state.startsWith("08") || state.equals("57P03");
    }

    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) return "a file of that name is in the way";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return lower(fs.getReason());
        return lower(String.valueOf(e.getMessage()));
    }

    /** SQLite's codes for a file it cannot open, create or write (sqlite-jdbc puts them first in the message). */
    private static boolean sqliteCannotWrite(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("[SQLITE_CANTOPEN]") || message.startsWith("[SQLITE_READONLY") || message.startsWith("[SQLITE_PERM]")
                || message.startsWith("[SQLITE_IOERR") || message.startsWith("[SQLITE_FULL]") || message.startsWith("[SQLITE_NOTADB]");
    }

    /** "[SQLITE_CANTOPEN] Unable to open the database file (unable to open database file)": the words in the middle. */
    private static String sqliteReason(SQLException e) {
        String message = firstLine(e);
        int start = message.indexOf("] ");
        int end = message.indexOf(" (", start + 1);
        return lower(message.substring(start < 0 ? 0 : start + 2, end < 0 ? message.length() : end));
    }

    private static String firstLine(SQLException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return Optional.of(type.cast(t));
        }
        return Optional.empty();
    }
}
