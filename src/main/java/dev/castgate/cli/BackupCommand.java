package dev.castgate.cli;

import dev.castgate.StartFailure;
import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A consistent copy of the embedded SQLite database, taken while the server runs. The copy holds
 * password and secret hashes and the sealed signing keys, so it is readable by its owner only;
 * the key file that opens those keys is backed up apart. PostgreSQL has its own tools.
 */
@Command(name = "backup", description = {"Copy the SQLite database to FILE, consistent, while the server runs.",
        "The copy is readable by its owner only. The key file is not in it: back it up apart. On PostgreSQL use pg_dump -Fc."})
final class BackupCommand implements Runnable {
    @ParentCommand CastgateCommand root;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "The copy to write; it must not exist unless --force is given.") Path file;
    @Option(names = "--force", description = "Replace FILE if it exists.") boolean force;

    @Override
    public void run() {
        ServerConfig config = root.config();
        if (!config.database().sqlite()) {
            throw new AdminException("backup copies the embedded SQLite database; back up PostgreSQL with "
                    + "'pg_dump -Fc DATABASE > FILE' and restore with pg_restore (see Backups in the README)");
        }
        Path database = Path.of(ConfigLoader.sqlitePath(config.database().jdbcUrl()));
        if (!Files.isRegularFile(database)) throw new AdminException("no database at " + database + ": nothing to back up");
        Path target = file.toAbsolutePath().normalize();
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isSameFile(target, database)) throw new AdminException(file + " is the database itself; choose another file");
                if (Files.isDirectory(target)) throw new AdminException(file + " is a folder; name the file to write");
                if (!force) throw new AdminException(file + " exists: choose another name, or give --force to replace it");
            }
            long size = write(config, database, target);
            spec.commandLine().getOut().println("wrote a consistent copy of " + database + " to " + file + " (" + size + " bytes), "
                    + "readable by its owner only; the key file " + config.encryptionKey().path()
                    + " is not in it: back it up apart");
        } catch (IOException e) {
            throw new AdminException("cannot write " + file + " (" + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()) + ")");
        }
    }

    /**
     * {@code VACUUM INTO} a new file beside the target, made readable by its owner alone before a
     * byte is in it, synced, then renamed onto the target: a copy that fails half-way never stands
     * where the last good one was.
     */
    private long write(ServerConfig config, Path database, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
        try {
            if (Files.getFileAttributeView(partial, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            }
            try (Storage db = Storage.open(config.database())) {
                db.copyInto(partial);
            } catch (StartFailure cannotOpen) {
                throw cannotOpen;
            } catch (RuntimeException e) {
                // What SQLite said (a full disk, a file it cannot write), without the statement's trace.
                throw new AdminException("cannot copy " + database + " to " + file + ": " + rootCause(e).getMessage());
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            long size = Files.size(partial);
            if (force) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                try {
                    Files.move(partial, target);
                } catch (FileAlreadyExistsException e) {
                    throw new AdminException(file + " exists: choose another name, or give --force to replace it");
                }
            }
            return size;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause;
    }
}
