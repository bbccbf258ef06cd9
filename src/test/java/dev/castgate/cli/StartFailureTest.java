package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.ServeRun;
import dev.castgate.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator meets first: a port in use, a data folder that cannot be written, a database
 * that does not answer. Each is one line on standard error saying what and what to do, and exit
 * status 2, as a bad configuration is; no stack trace. Run through {@code castgate serve} in a
 * process of its own, as {@code bin/castgate} runs it.
 */
class StartFailureTest {
    @TempDir Path dir;

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (TestDatabase database = TestDatabase.create();
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Map<String, String> settings = new HashMap<>(Map.of("CASTGATE_PORT", Integer.toString(port),
                    "CASTGATE_DATABASE_URL", database.jdbcUrl()));
            settings.putAll(database.keySetting());
            ServeRun run = serve(settings);
            run.assertFailedWithOneLine("castgate: port " + port + " on 127.0.0.1 is in use: stop the program that holds it, "
                    + "or choose another port (CASTGATE_PORT)");
        }
    }

    @Test
    void aDataFolderThatCannotBeMadeIsOneLine() throws Exception {
        Path inTheWay = Files.writeString(dir.resolve("data"), "a file where the folder should be");
        ServeRun run = serve(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", "jdbc:sqlite:" + inTheWay.resolve("castgate.db")));
        run.assertFailedWithOneLine("castgate: cannot create the database folder " + inTheWay + " (a file of that name is in the way): "
                + "choose a folder this user can write in database.url (CASTGATE_DATABASE_URL)");
    }

    @Test
    void aDatabaseFileThatCannotBeOpenedIsOneLine() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("castgate.db")); // a folder where the database file should be
        ServeRun run = serve(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", "jdbc:sqlite:" + folder));
        assertThat(run.err()).startsWith("castgate: cannot open the SQLite database " + folder + " (")
                .endsWith("): make it and its folder writable by this user, or choose another file in database.url "
                        + "(CASTGATE_DATABASE_URL)" + System.lineSeparator());
        run.assertFailedWithOneLine(run.err().strip());
    }

    @Test
    void anUnreachableDatabaseIsOneLine() throws Exception {
        int closed = ChildProcesses.freePort();
        // The shortest start wait: waiting, with its backoff, is StartWaitTest's.
        ServeRun run = serve(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_START_WAIT", "1s",
                "CASTGATE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/castgate?password=not-to-be-printed"));
        run.assertFailedWithOneLine("castgate: cannot connect to the database at jdbc:postgresql://127.0.0.1:" + closed
                + "/castgate (connection refused): start it, or correct database.url (CASTGATE_DATABASE_URL)");
    }

    private ServeRun serve(Map<String, String> settings) {
        return ServeRun.of(settings, dir);
    }
}
