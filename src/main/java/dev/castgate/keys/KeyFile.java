package dev.castgate.keys;

import dev.castgate.config.ServerConfig;
import dev.castgate.crypto.KeyEncryptionKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that holds the key-encryption key: one line, 32 random bytes in base64 (what
 * {@code castgate keys generate-encryption-key} and {@code openssl rand -base64 32} write). Either
 * the one {@code keys.encryption_key_file} names ({@code given}), which must exist, or
 * {@code encryption.key} in the data folder, which the server makes, readable by its owner only,
 * while the database holds no encrypted value yet.
 */
public record KeyFile(Path path, boolean given) {
    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
    static final String SETTING = "keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE)";
    /** A key file is one short line; anything longer is not one (and is not read whole). */
    private static final long MAX_BYTES = 1024;
    private static final Set<PosixFilePermission> READ_BY_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);

    /**
     * The configured key file. PostgreSQL outside development must name one: nodes share the
     * database, so they must share the key, and a key made by the first node would sit on its disk alone.
     */
    public static KeyFile of(ServerConfig config) {
        ServerConfig.EncryptionKeyFile file = config.encryptionKey();
        if (!file.given() && !config.database().sqlite() && !config.development()) {
            throw new KeyFileProblem(SETTING + " must be set with PostgreSQL and an https issuer: write a key file with "
                    + "'castgate keys generate-encryption-key FILE', give every node a copy, and set it to that file");
        }
        return new KeyFile(file.path(), file.given());
    }

    /** The key, from this file; it must exist. */
    KeyEncryptionKey read() {
        return read(path, SETTING);
    }

    /** The key: this file's, or, in the data folder, a new one written there first. */
    KeyEncryptionKey readOrMake() {
        if (!given && !Files.exists(path)) {
            try {
                Files.createDirectories(path.toAbsolutePath().getParent());
                if (writeNew(path, KeyEncryptionKey.generate())) {
                    log.info("made the encryption key file {}: the database's keys are encrypted with it, so back it up, apart "
                            + "from the database, which cannot be used without it", path);
                }
            } catch (IOException e) {
                throw new KeyFileProblem("cannot write the encryption key file " + path + " (" + reason(e) + "): let this user "
                        + "write in its folder, or set " + SETTING + " to a key file");
            }
        }
        return read();
    }

    /** The key in {@code file}, which {@code namedBy} (a setting, an option) named. */
    public static KeyEncryptionKey read(Path file, String namedBy) {
        String text;
        try {
            if (!Files.isRegularFile(file) && Files.exists(file)) throw new KeyFileProblem("the encryption key file " + file
                    + " is not a file: correct " + namedBy);
            if (Files.size(file) > MAX_BYTES) throw notAKey(file, "it is longer than a key");
            text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new KeyFileProblem("the encryption key file " + file + " does not exist: write one with "
                    + "'castgate keys generate-encryption-key " + file + "', or correct " + namedBy);
        } catch (IOException e) {
            throw new KeyFileProblem("cannot read the encryption key file " + file + " (" + reason(e) + "): let this user read it, "
                    + "or correct " + namedBy);
        }
        KeyEncryptionKey key;
        try {
            key = KeyEncryptionKey.decode(text);
        } catch (IllegalArgumentException e) {
            throw notAKey(file, "it " + e.getMessage());
        }
        warnIfOthersMayRead(file);
        return key;
    }

    /**
     * Writes {@code key} to a new file {@code file}, readable and writable by its owner only;
     * false, writing nothing, when the file exists. Written whole to a temporary file first and
     * linked into place, which fails when another process made the file meanwhile: two nodes
     * starting at once then both use the one key that won.
     */
    public static boolean writeNew(Path file, KeyEncryptionKey key) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        // Made with owner-only permissions on POSIX (Files.createTempFile's own default).
        Path temporary = Files.createTempFile(folder, ".encryption-key", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((key.encoded() + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                // A file system without hard links: a move without REPLACE_EXISTING never replaces either.
                try {
                    Files.move(temporary, file);
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
            return true;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * A warning, not a refusal: a mounted secret is often readable by a group, or by every user
     * of a container that runs nothing else, and the operator may have chosen so.
     */
    private static void warnIfOthersMayRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(READ_BY_OTHERS::contains)) {
                log.warn("the encryption key file {} may be read by users other than its owner ({}): chmod 600 {}", file,
                        PosixFilePermissions.toString(permissions), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // No POSIX permissions on this file system, or no attributes to read: nothing to warn of
            // here; reading the key, which follows, reports a file that cannot be read.
        }
    }

    private static KeyFileProblem notAKey(Path file, String why) {
        return new KeyFileProblem("the encryption key file " + file + " does not hold a key (" + why + "): it must be one line, "
                + "32 random bytes in base64, as 'castgate keys generate-encryption-key FILE' writes");
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        return String.valueOf(e.getMessage());
    }
}
