package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.admin.UserAccounts;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.User;
import dev.castgate.login.SignInKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "user", description = "Manage accounts.", subcommands = {UserCommands.Add.class, UserCommands.ListUsers.class,
        UserCommands.Unlock.class})
final class UserCommands {
    @ParentCommand CastgateCommand root;

    @Command(name = "add", description = "Create an account; the password is read from standard input.")
    static final class Add implements Runnable {
        @ParentCommand UserCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--username", required = true) String username;
        @Option(names = "--email", required = true) String email;
        @Option(names = "--email-verified", description = "Mark the email address as verified.") boolean emailVerified;
        @Option(names = "--name", description = "Display name.") String name;
        @Option(names = "--password-stdin", required = true,
                description = "Read the password from the first line of standard input (never from an argument).")
        boolean passwordStdin;

        @Override
        public void run() {
            String password = readPassword();
            try (Storage db = parent.root.openDatabase()) {
                RandomTokens random = RandomTokens.secure();
                User user = new UserAccounts(db.stores(), new PasswordHasher(random), random, Clock.systemUTC())
                        .create(username, email, emailVerified, Optional.ofNullable(name), password);
                spec.commandLine().getOut().println("created user " + user.username() + " (" + user.id() + ")");
            }
        }

        private static String readPassword() {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                throw new dev.castgate.admin.AdminException("cannot read the password from standard input");
            }
        }
    }

    @Command(name = "list", description = "List accounts.")
    static final class ListUsers implements Runnable {
        @ParentCommand UserCommands parent;
        @Spec CommandSpec spec;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-40s  %-24s  %-32s  %s%n", "ID", "USERNAME", "EMAIL", "VERIFIED");
                for (User u : db.stores().users().list()) {
                    out.printf("%-40s  %-24s  %-32s  %s%n", u.id(), u.username(), u.email(), u.emailVerified() ? "yes" : "no");
                }
            }
        }
    }

    @Command(name = "unlock", description = "Forget the failed sign-ins at the account's username and email, from every address.")
    static final class Unlock implements Runnable {
        @ParentCommand UserCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "USERNAME", description = "The account's username or email.") String login;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                User user = db.stores().users().findByLogin(login).orElseThrow(() -> new AdminException("no user '" + login + "'"));
                int forgotten = SignInKeys.unlock(db.stores().loginFailures(), user);
                spec.commandLine().getOut().println("unlocked " + user.username() + ": forgot " + forgotten + " failed sign-in"
                        + (forgotten == 1 ? "" : "s"));
            }
        }
    }
}
