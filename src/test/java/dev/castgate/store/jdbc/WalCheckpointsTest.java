package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.store.OutageLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Under a steady write load SQLite's log never starts over by itself; the writer restarts it
 * once it has grown past the threshold, and the next commit writes from the log's beginning.
 */
class WalCheckpointsTest {
    @TempDir Path dir;

    @Test
    void aLogThatGrewPastTheThresholdIsRestartedByTheWriter() throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + dir.resolve("wal.db"));
        Jdbi jdbi = Jdbi.create(source);
        Path log = dir.resolve("wal.db-wal");

        try (WalCheckpoints checkpoints = new WalCheckpoints(jdbi, new OutageLog(), 100); Handle writer = jdbi.open()) {
            writer.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)");
            // Commits one after another, as the group-commit writer makes them, until a passive
            // round has seen the log pass 100 frames.
            Instant deadline = Instant.now().plusSeconds(30);
            int row = 0;
            while (!checkpoints.restartDue()) {
                assertThat(Instant.now()).as("the checkpoint thread saw the log grow").isBefore(deadline);
                writer.begin();
                for (int i = 0; i < 50; i++, row++) writer.execute("INSERT INTO t VALUES (?, ?)", "k" + row, "x".repeat(200));
                writer.commit();
            }
            long grown = Files.size(log);
            assertThat(grown).isGreaterThan(100L * 4096);

            int busyTimeout = writer.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one();
            checkpoints.restart(writer);
            assertThat(checkpoints.restartDue()).isFalse();
            writer.execute("INSERT INTO t VALUES ('after', 'restart')");
            // The log file keeps its length, but the commit went to its beginning: SQLite's own
            // count of frames in use is now that one commit's.
            int frames = writer.createQuery("PRAGMA wal_checkpoint(PASSIVE)").map((rs, ctx) -> rs.getInt(2)).one();
            assertThat(frames).isLessThan(10);
            assertThat(writer.createQuery("SELECT count(*) FROM t").mapTo(Integer.class).one()).isEqualTo(row + 1);
            // The writer's busy timeout is back to what it was (the database's) after the restart.
            assertThat(writer.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one()).isEqualTo(busyTimeout);
        }
    }
}
