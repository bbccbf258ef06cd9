package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.config.ServerConfig;
import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.keys.KeyFile;
import dev.castgate.keys.KeysAtRest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "keys", description = "Manage the key that encrypts the keys the database holds.",
        subcommands = {KeysCommands.GenerateEncryptionKey.class, KeysCommands.Reencrypt.class})
final class KeysCommands {
    @ParentCommand CastgateCommand root;

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
