package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.config.ServerConfig;
import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.http.Json;
import dev.castgate.keys.KeyFile;
import dev.castgate.keys.KeyRotation;
import dev.castgate.keys.KeyRotation.Retirement;
import dev.castgate.keys.KeySchedule;
import dev.castgate.keys.KeysAtRest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "keys", description = "Rotate and retire the signing keys; manage the key that encrypts the keys the database holds.",
        subcommands = {KeysCommands.ListKeys.class, KeysCommands.Rotate.class, KeysCommands.Retire.class,
                KeysCommands.GenerateEncryptionKey.class, KeysCommands.Reencrypt.class})
final class KeysCommands {
    @ParentCommand CastgateCommand root;

    @Command(name = "list", description = "List the signing keys with their state: pending, active, retiring or retired.")
    static final class ListKeys implements Runnable {
        private static final String ROW = "%-43s  %-5s  %-8s  %-20s  %-20s  %s%n";

        @ParentCommand KeysCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "Print the keys as JSON.") boolean json;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                PrintWriter out = spec.commandLine().getOut();
                KeySchedule schedule = new KeySchedule(db.stores().signingKeys().list());
                Instant now = Instant.now();
                if (json) {
                    out.println(Json.write(schedule.keys().stream().map(key -> schedule.describe(key, now)).toList()));
                    return;
                }
                out.printf(ROW, "KID", "ALG", "STATE", "CREATED", "ACTIVATES", "RETIRED");
                for (SigningKey key : schedule.keys()) {
                    out.printf(ROW, key.kid(), key.algorithm().name(), schedule.state(key, now).wireName(), time(key.createdAt()),
                            time(key.activatesAt()), key.retiredAt().map(KeysCommands::time).orElse("-"));
                }
            }
        }
    }

    @Command(name = "rotate", description = "Add a new signing key of each algorithm: published at once, signing after keys.activation_delay.")
    static final class Rotate implements Runnable {
        @ParentCommand KeysCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--alg", paramLabel = "ES256|RS256|all", description = "Which algorithm's key; default all.") String alg = "all";

        @Override
        public void run() {
            Set<SigningAlgorithm> algorithms = algorithms(alg);
            ServerConfig config = parent.root.config();
            List<SigningKey> made;
            try (Storage db = Storage.open(config.database())) {
                made = rotation(db, config).rotate(algorithms);
            }
            PrintWriter out = spec.commandLine().getOut();
            for (SigningKey key : made) {
                out.println("added " + key.algorithm() + " signing key " + key.kid() + ": published now, signs from " + time(key.activatesAt()));
            }
            out.println("running servers publish " + (made.size() == 1 ? "it" : "them") + " within keys.reread_interval ("
                    + config.signingKeys().rereadInterval().toSeconds() + "s); the keys they replace stay published until every "
                    + "token they signed has expired");
        }

        private static Set<SigningAlgorithm> algorithms(String raw) {
            return KeyRotation.algorithms(raw).orElseThrow(() -> new AdminException("--alg must be ES256, RS256 or all, not '" + raw + "'"));
        }
    }

    @Command(name = "retire", description = "Stop publishing a signing key at once, deleting its key material; tokens it signed are refused.")
    static final class Retire implements Runnable {
        @ParentCommand KeysCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "KID", description = "The key's kid, as 'castgate keys list' shows it.") String kid;

        @Override
        public void run() {
            ServerConfig config = parent.root.config();
            Retirement retirement;
            try (Storage db = Storage.open(config.database())) {
                retirement = rotation(db, config).retire(kid);
            }
            PrintWriter out = spec.commandLine().getOut();
            switch (retirement) {
                case Retirement.Unknown unknown -> throw new AdminException("no signing key " + kid + ": 'castgate keys list' shows them");
                case Retirement.AlreadyRetired already -> throw new AdminException("signing key " + kid + " was retired at "
                        + already.key().retiredAt().map(KeysCommands::time).orElse("an earlier time") + " already");
                case Retirement.OnlyKey only -> throw new AdminException("signing key " + kid + " is the only key that signs "
                        + only.key().algorithm() + " tokens: run 'castgate keys rotate --alg " + only.key().algorithm()
                        + "' first, then retire it, and the new key signs at once");
                case Retirement.Retired retired -> {
                    out.println("retired " + retired.key().algorithm() + " signing key " + kid + ": no longer published, its key "
                            + "material deleted, and tokens it signed are refused");
                    retired.successor().ifPresent(s -> out.println(s.kid() + " signs " + s.algorithm() + " tokens in its place from now"));
                    out.println("running servers stop publishing it within keys.reread_interval ("
                            + config.signingKeys().rereadInterval().toSeconds() + "s)");
                }
            }
        }
    }

    /** Rotation and retirement as the server does them, with the key file {@code serve} reads (to seal new keys). */
    private static KeyRotation rotation(Storage db, ServerConfig config) {
        KeysAtRest keysAtRest = KeysAtRest.unlock(db.transactions(), db.stores(), KeyFile.of(config));
        Clock clock = Clock.systemUTC();
        return new KeyRotation(db.transactions(), keysAtRest, new AuditTrail(RandomTokens.secure(), clock), clock, config.signingKeys());
    }

    private static String time(Instant at) { return at.truncatedTo(ChronoUnit.SECONDS).toString(); }

    @Command(name = "generate-encryption-key", description = "Write a new encryption key to FILE, readable by its owner only.")
    static final class GenerateEncryptionKey implements Runnable {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The new key file; it must not exist.") Path file;

        @Override
        public void run() {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                if (!KeyFile.writeNew(file, KeyEncryptionKey.generate())) {
                    throw new AdminException(file + " exists: a key file is never overwritten; choose another name");
                }
            } catch (IOException e) {
                throw new AdminException("cannot write " + file + " ("
                        + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()) + ")");
            }
            spec.commandLine().getOut().println("wrote a new encryption key to " + file + ", readable by its owner only; "
                    + "back it up apart from the database");
        }
    }

    @Command(name = "reencrypt", description = "Re-encrypt the database's keys with the key in a new key file, in one transaction.")
    static final class Reencrypt implements Runnable {
        @ParentCommand KeysCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--new-key-file", required = true, paramLabel = "FILE",
                description = "The key file to encrypt with from now on (castgate keys generate-encryption-key FILE writes one).")
        Path newKeyFile;

        @Override
        public void run() {
            ServerConfig config = parent.root.config();
            KeyFile current = KeyFile.of(config);
            KeyEncryptionKey next = KeyFile.read(newKeyFile, "--new-key-file");
            int count;
            try (Storage db = Storage.open(config.database())) {
                count = KeysAtRest.reencrypt(db.transactions(), db.stores(), current, next, newKeyFile);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("re-encrypted " + count + " key" + (count == 1 ? "" : "s") + " with the key in " + newKeyFile);
            out.println("now set keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) to " + newKeyFile
                    + (current.given() ? "" : ", or put it in place of " + current.path() + ",") + " on every node, and restart them; "
                    + "keep the old key file as long as you keep backups of the database made before now");
        }
    }
}
