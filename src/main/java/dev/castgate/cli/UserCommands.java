package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.admin.UserAccounts;
import dev.castgate.admin.UserAdministration;
import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccountHoldings;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.http.Json;
import dev.castgate.interaction.Languages;
import dev.castgate.interaction.Text;
import dev.castgate.mail.EmailVerification;
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
        UserCommands.Unlock.class, UserCommands.Show.class, UserCommands.Update.class, UserCommands.SetPassword.class,
        UserCommands.VerifyEmail.class, UserCommands.Disable.class, UserCommands.Enable.class, UserCommands.RemovePasskeys.class,
        UserCommands.Remove.class})
final class UserCommands {
    @ParentCommand CastgateCommand root;

    /** The first line of standard input: passwords never come from an argument, where other users of the machine see them. */
    private static String readPassword() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new AdminException("cannot read the password from standard input");
        }
    }

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
                User user = administration(db).create(username, email, emailVerified, Optional.ofNullable(name), password);
                spec.commandLine().getOut().println("created user " + user.username() + " (" + user.id() + ")");
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
                out.printf("%-40s  %-24s  %-32s  %-8s  %s%n", "ID", "USERNAME", "EMAIL", "VERIFIED", "DISABLED");
                for (User u : administration(db).list()) {
                    out.printf("%-40s  %-24s  %-32s  %-8s  %s%n", u.id(), u.username(), u.email(), yesNo(u.emailVerified()),
                            yesNo(u.disabled()));
                }
            }
        }
    }

    @Command(name = "unlock", description = "Forget the failed sign-ins at the account's username and email, from every address.")
    static final class Unlock extends OnOneAccount {
        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.Unlocked unlocked = admin.unlock(login);
            out.println("unlocked " + unlocked.user().username() + ": forgot " + unlocked.forgotten() + " failed sign-in"
                    + (unlocked.forgotten() == 1 ? "" : "s"));
        }
    }

    /**
     * A command on one account, named by username or email, through the operator's service on the
     * tool's database (as the admin API would use it on the server's).
     */
    abstract static class OnOneAccount implements Runnable {
        @ParentCommand UserCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "USER", description = "The account's username or email.") String login;
        /** The database, while the command runs. */
        Storage db;

        @Override
        public final void run() {
            try (Storage db = parent.root.openDatabase()) {
                this.db = db;
                run(administration(db), spec.commandLine().getOut());
            }
        }

        abstract void run(UserAdministration admin, PrintWriter out);
    }

    /** The operator's service on the tool's database. */
    private static UserAdministration administration(Storage db) {
        RandomTokens random = RandomTokens.secure();
        Clock clock = Clock.systemUTC();
        return new UserAdministration(db.transactions(), db.stores(), new UserAccounts(db.stores(), new PasswordHasher(random), random, clock),
                new AuditTrail(random, clock));
    }

    @Command(name = "show", description = "Show an account: its fields, whether it is disabled, and what hangs off it.")
    static final class Show extends OnOneAccount {
        @Option(names = "--json", description = "Print the account as JSON.") boolean json;

        @Override
        void run(UserAdministration admin, PrintWriter out) { print(out, admin.show(login), json); }
    }

    @Command(name = "update", description = "Change an account's username, email, name or email verification; "
            + "what is not given stays as it is. A new email takes effect at once, no longer verified unless --email-verified "
            + "is given: a link to confirm it goes to the new address, and a notice to the old one.")
    static final class Update extends OnOneAccount {
        @Option(names = "--username", description = "A new username (2 to 64 letters, digits, dots, dashes or underscores).") String username;
        @Option(names = "--email", description = "A new email address.") String email;
        @Option(names = "--email-verified", negatable = true,
                description = "Mark the email verified, and mail no link (--no-email-verified: not verified).") Boolean emailVerified;
        @Option(names = "--name", description = "A new display name; an empty one removes it.") String name;
        @Option(names = "--language", paramLabel = "TAG", defaultValue = "en_US",
                description = "The language of the mails about a new email: en_US, hu_HU or de_DE (default: ${DEFAULT-VALUE}).")
        String language;
        @Option(names = "--json", description = "Print the account as JSON.") boolean json;

        @Override
        void run(UserAdministration admin, PrintWriter out) {
            Text mailLanguage = Languages.require("--language", language);
            // Only a new email mails anything, and only then are the server's mail links needed.
            Optional<EmailVerification> verification = email == null ? Optional.empty() : ToolMail.verification(parent.root.config(), db);
            UserAdministration.Updated updated = admin.update(login, new UserAdministration.Changes(Optional.ofNullable(username),
                    Optional.ofNullable(email), Optional.ofNullable(emailVerified), Optional.ofNullable(name)),
                    new UserAdministration.ChangeMail(verification, mailLanguage.tag()));
            User user = updated.user();
            if (json) print(out, admin.show(user.username()), true);
            else out.println("updated user " + user.username() + " (" + user.id() + ")");
            PrintWriter said = json ? spec.commandLine().getErr() : out;
            switch (updated.mailed()) {
                case NOTHING -> { }
                case LINK_AND_NOTICE -> said.println("mailed a link that confirms " + user.email() + " to it, and a notice to the old address");
                case NOTICE -> said.println("mailed a notice to the old address");
                case NO_MAIL -> said.println("no mail sent: mail is not set up here, so " + user.email() + " stays unverified until "
                        + "'castgate user verify-email " + user.username() + "'");
            }
        }
    }

    @Command(name = "set-password", description = "Set an account's password, read from standard input, and end its sessions.")
    static final class SetPassword extends OnOneAccount {
        @Option(names = "--password-stdin", required = true,
                description = "Read the password from the first line of standard input (never from an argument).")
        boolean passwordStdin;
        @Option(names = "--revoke-grants", description = "Also revoke every app's and device's tokens.") boolean revokeGrants;

        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.PasswordSet set = admin.setPassword(login, readPassword(), revokeGrants);
            out.println("set the password of " + set.user().username() + "; ended " + UserAdministration.count(set.sessionsEnded(), "session")
                    + (revokeGrants ? ", revoked " + UserAdministration.count(set.grantsRevoked(), "grant") : ""));
        }
    }

    @Command(name = "verify-email", description = "Mark an account's email address verified (--unverify: not verified).")
    static final class VerifyEmail extends OnOneAccount {
        @Option(names = "--unverify", description = "Mark it not verified instead.") boolean unverify;

        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.EmailMarked marked = admin.verifyEmail(login, !unverify);
            String email = "the email of " + marked.user().username() + " (" + marked.user().email() + ")";
            String state = unverify ? "not verified" : "verified";
            out.println(marked.changed() ? "marked " + email + " " + state : email + " was " + state + " already");
        }
    }

    @Command(name = "disable", description = "Disable an account: it cannot sign in, its sessions end and every grant it has is revoked. "
            + "The Streaming API may accept its tokens for up to 5 seconds more (its token cache).")
    static final class Disable extends OnOneAccount {
        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.Disabled disabled = admin.disable(login);
            String done = "revoked " + UserAdministration.count(disabled.grantsRevoked(), "grant") + ", ended "
                    + UserAdministration.count(disabled.sessionsEnded(), "session");
            out.println(disabled.already()
                    ? disabled.user().username() + " was disabled already (since " + disabled.user().disabledAt().orElseThrow() + "); " + done
                    : "disabled " + disabled.user().username() + ": " + done);
        }
    }

    @Command(name = "enable", description = "Let a disabled account sign in again; the grants revoked when it was disabled stay revoked.")
    static final class Enable extends OnOneAccount {
        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.Enabled enabled = admin.enable(login);
            out.println(enabled.changed() ? "enabled " + enabled.user().username() : enabled.user().username() + " was not disabled");
        }
    }

    @Command(name = "remove-passkeys", description = "Remove every passkey of an account, for a person who lost theirs: "
            + "the password (with the authenticator app's code, if set up) signs in again, and they register new ones.")
    static final class RemovePasskeys extends OnOneAccount {
        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.PasskeysRemoved removed = admin.removePasskeys(login);
            out.println(removed.removed() == 0 ? removed.user().username() + " has no passkeys"
                    : "removed " + UserAdministration.count(removed.removed(), "passkey") + " of " + removed.user().username());
        }
    }

    @Command(name = "remove", description = "Remove an account with its grants, tokens, sessions, consents, channels, videos, "
            + "device passwords and passkeys; its audit events stay, anonymised. Asks for confirmation on a terminal; elsewhere needs --yes.")
    static final class Remove extends OnOneAccount {
        @Option(names = "--yes", description = "Remove without asking.") boolean yes;
        @Option(names = "--remove-owned-clients", description = "Also remove the clients the account owns, with every grant they hold.")
        boolean removeOwnedClients;

        @Override
        void run(UserAdministration admin, PrintWriter out) {
            UserAdministration.Account account = admin.show(login);
            UserAdministration.requireRemovable(account.user(), account.ownedClients(), removeOwnedClients);
            String what = account.user().username() + " (" + account.user().id() + ") and its "
                    + UserAdministration.summary(account.holdings(), removeOwnedClients ? account.ownedClients().size() : 0);
            if (!yes) confirm(what, account.user().username());
            UserAdministration.Removed removed = admin.remove(login, removeOwnedClients);
            out.println("removed user " + removed.user().username() + " (" + removed.user().id() + "): "
                    + UserAdministration.summary(removed.deleted(), removed.removedClients().size()));
            out.println("anonymised " + UserAdministration.count(removed.anonymisedEvents(), "audit event") + " (now user "
                    + removed.pseudonym() + ")");
        }

        /** On a terminal, the operator types the username; anywhere else --yes must have been given. */
        private static void confirm(String what, String username) {
            if (!Terminal.interactive()) {
                throw new AdminException("removing deletes " + what + "; add --yes to confirm (standard input is not a terminal)");
            }
            String typed = Terminal.ask("This deletes %s.%nType the username to remove it: ", what);
            if (!username.equals(typed == null ? "" : typed.strip())) throw new AdminException("not removed: the username was not typed");
        }
    }

    /** The account as {@code show} prints it: one field a line, or one JSON object. */
    private static void print(PrintWriter out, UserAdministration.Account account, boolean json) {
        User u = account.user();
        AccountHoldings h = account.holdings();
        if (json) {
            out.println(Json.write(UserAdministration.describe(account)));
            return;
        }
        out.printf("%-18s%s%n", "id:", u.id());
        out.printf("%-18s%s%n", "username:", u.username());
        out.printf("%-18s%s%n", "email:", u.email());
        out.printf("%-18s%s%n", "email verified:", yesNo(u.emailVerified()));
        out.printf("%-18s%s%n", "name:", u.name().orElse("-"));
        out.printf("%-18s%s%n", "created:", u.createdAt());
        out.printf("%-18s%s%n", "disabled:", u.disabledAt().map(at -> "yes, since " + at).orElse("no"));
        out.printf("%-18s%d%n", "grants:", h.grants());
        out.printf("%-18s%d%n", "sessions:", h.sessions());
        out.printf("%-18s%d%n", "consents:", h.consents());
        out.printf("%-18s%d%n", "channels:", h.channels());
        out.printf("%-18s%d%n", "videos:", h.videos());
        out.printf("%-18s%d%n", "device passwords:", h.devicePasswords());
        out.printf("%-18s%s%n", "passkeys:", account.passkeys().isEmpty() ? "-" : String.join(", ", account.passkeys()));
        out.printf("%-18s%s%n", "owned clients:", account.ownedClients().isEmpty() ? "-"
                : String.join(", ", account.ownedClients().stream().map(ClientId::value).toList()));
    }

    private static String yesNo(boolean value) { return value ? "yes" : "no"; }
}
