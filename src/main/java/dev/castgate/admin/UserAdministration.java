package dev.castgate.admin;

import dev.castgate.session.BackChannelLogout;
import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.domain.AccountHoldings;
import dev.castgate.domain.Passkey;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.login.SignInKeys;
import dev.castgate.mail.EmailVerification;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import dev.castgate.store.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * What an operator does to one existing account, for the command-line tool and the admin API
 * alike: look at it, change it, set its password, mark its email, disable, enable and remove it.
 * Accounts are named by username or email. Each change is audited in the transaction that makes
 * it; the rules for names, emails and passwords are {@link UserAccounts}'s, as at sign-up. The
 * trail's clock and randomness serve the service too.
 */
public record UserAdministration(Transactions transactions, Stores stores, UserAccounts accounts, AuditTrail audit, Operator operator) {

    /** The service as the command-line tool uses it. */
    public UserAdministration(Transactions transactions, Stores stores, UserAccounts accounts, AuditTrail audit) {
        this(transactions, stores, accounts, audit, Operator.COMMAND_LINE);
    }

    /** The same service, with its changes audited as {@code operator}'s. */
    public UserAdministration by(Operator operator) {
        return new UserAdministration(transactions, stores, accounts, audit, operator);
    }

    /** Every account, oldest first. */
    public List<User> list() { return stores.users().list(); }

    /** Creates an account under sign-up's rules, audited USER_CREATED. */
    public User create(String username, String email, boolean emailVerified, Optional<String> name, String password) {
        return accounts.create(username, email, emailVerified, name, password, operator);
    }

    /** What unlocking did: how many failed sign-ins were forgotten. */
    public record Unlocked(User user, int forgotten) {}

    /** Forgets the failed sign-ins counted at the account's username and email, from every address. */
    public Unlocked unlock(String login) {
        User user = require(login);
        return new Unlocked(user, SignInKeys.unlock(stores.loginFailures(), user));
    }

    /**
     * An account, what hangs off it, the clients it owns (whose client-credentials tokens act for
     * it), and the names its owner gave its passkeys.
     */
    public record Account(User user, AccountHoldings holdings, List<ClientId> ownedClients, List<String> passkeys) {}

    public Account show(String login) {
        User user = require(login);
        return new Account(user, stores.users().holdings(user.id(), audit.clock().instant()), ownedClients(stores, user.id()),
                stores.passkeys().list(user.id()).stream().map(Passkey::name).toList());
    }

    /**
     * What an operator changes; an empty field keeps the account's value. A blank {@code name}
     * removes the name. A changed email is no longer verified unless {@code emailVerified} says so:
     * the operator vouches for it only by saying it.
     */
    public record Changes(Optional<String> username, Optional<String> email, Optional<Boolean> emailVerified, Optional<String> name) {
        boolean none() { return username.isEmpty() && email.isEmpty() && emailVerified.isEmpty() && name.isEmpty(); }
    }

    /**
     * How the person hears of an email change: through the server's email verification (its links
     * and its outbox, which the server's mail worker sends), in {@code language}; without
     * {@code verification}, where no mail leaves, they do not.
     */
    public record ChangeMail(Optional<EmailVerification> verification, String language) {}

    /** What was mailed about an email change. */
    public enum Mailed {
        /** The email did not change. */
        NOTHING,
        /** A link that confirms the new address, and a notice to the old one. */
        LINK_AND_NOTICE,
        /** A notice to the old address only: the operator vouched for the new one. */
        NOTICE,
        /** Nothing: no mail leaves this server, so the new address stays unconfirmed until an operator marks it. */
        NO_MAIL
    }

    /** The account after an update, and what was mailed about it. */
    public record Updated(User user, Mailed mailed) {}

    /**
     * Changes the account with sign-up's checks, and audits USER_UPDATED with the names of what
     * changed. A new email takes effect at once (an operator corrects an address, often because
     * the old mailbox is lost): the links still out for the account stop working, and through
     * {@code mail} the old address is told and, unless the operator vouched for it, the new one
     * gets a link that confirms it, as a person's own change does. In the change's transaction.
     */
    public Updated update(String login, Changes changes, ChangeMail mail) {
        if (changes.none()) throw new AdminException("nothing to change");
        User before = require(login);
        String username = changes.username().orElse(before.username());
        String email = changes.email().orElse(before.email());
        Optional<String> name = changes.name().isPresent() ? changes.name().filter(n -> !n.isBlank()) : before.name();
        changes.username().ifPresent(UserAccounts::requireUsername);
        changes.email().ifPresent(UserAccounts::requireEmail);
        UserAccounts.requireName(name);
        boolean emailChanged = !email.equalsIgnoreCase(before.email());
        boolean verified = changes.emailVerified().orElse(before.emailVerified() && !emailChanged);
        Mailed mailed = !emailChanged ? Mailed.NOTHING : mail.verification().isEmpty() ? Mailed.NO_MAIL
                : verified ? Mailed.NOTICE : Mailed.LINK_AND_NOTICE;
        User updated = transactions.inTransaction(tx -> {
            UserStore.Change change = tx.users().updateAccount(before.id(), username, email, verified, name, audit.clock().instant());
            if (change == UserStore.Change.TAKEN) throw new AdminException("account.error.taken", "the username or email is already taken");
            if (change == UserStore.Change.NOT_FOUND) throw noUser(login);
            User after = tx.users().find(before.id()).orElseThrow();
            if (emailChanged) mail.verification().ifPresent(v -> v.changedByOperator(tx, before, after, mail.language()));
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.USER_UPDATED).user(before.id()).detail(describeChanges(before, after, mailed))));
            return after;
        });
        if (mailed != Mailed.NOTHING && mailed != Mailed.NO_MAIL) mail.verification().orElseThrow().outbox().committed();
        return new Updated(updated, mailed);
    }

    /** Which fields changed, by name only: the trail needs no values. */
    private static String describeChanges(User before, User after, Mailed mailed) {
        List<String> changed = new ArrayList<>();
        if (!before.username().equals(after.username())) changed.add("username");
        if (!before.email().equals(after.email())) changed.add("email");
        if (!before.name().equals(after.name())) changed.add("name");
        String verification = before.emailVerified() == after.emailVerified() ? ""
                : after.emailVerified() ? "; email verified by an operator" : "; email no longer verified";
        String mail = switch (mailed) {
            case NOTHING -> "";
            case LINK_AND_NOTICE -> "; mailed a link to the new address and a notice to the old one";
            case NOTICE -> "; mailed a notice to the old address";
            case NO_MAIL -> "; no mail (mail is not set up)";
        };
        return (changed.isEmpty() ? "no field changed" : "changed " + String.join(", ", changed)) + verification + mail;
    }

    /** What setting a password ended. */
    public record PasswordSet(User user, int sessionsEnded, int grantsRevoked) {}

    /**
     * Sets a new password under sign-up's rules and ends every session of the account, so no one
     * signed in with the old one stays in, and withdraws its recovery links; with
     * {@code revokeGrants}, every app's tokens end too.
     */
    public PasswordSet setPassword(String login, String password, boolean revokeGrants) {
        User user = require(login);
        String hash = accounts.hashNewPassword(user, password); // tens of milliseconds: never inside the transaction
        Instant now = audit.clock().instant();
        return transactions.inTransaction(tx -> {
            tx.users().updatePassword(user.id(), hash);
            int sessions = endSessions(tx, user.id());
            int grants = revokeGrants ? tx.grants().revokeAll(user.id(), now) : 0;
            // A recovery link mailed before would undo the operator's password, as a reset's other links would a reset's.
            tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.RESET, List.of());
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.PASSWORD_CHANGED).user(user.id())
                    .detail("set by an operator; ended " + count(sessions, "session")
                            + (revokeGrants ? ", revoked " + count(grants, "grant") : ""))));
            return new PasswordSet(user, sessions, grants);
        });
    }

    /** What marking an email did; {@code changed} is false when it was so already. */
    public record EmailMarked(User user, boolean changed) {}

    /** Marks the account's email verified (or not), as a followed verification link would; audited when it changes. */
    public EmailMarked verifyEmail(String login, boolean verified) {
        User user = require(login);
        if (user.emailVerified() == verified) return new EmailMarked(user, false);
        transactions.inTransaction(tx -> {
            if (!tx.users().setEmailVerified(user.id(), verified, audit.clock().instant())) throw noUser(login);
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.USER_UPDATED).user(user.id())
                    .detail(verified ? "email verified by an operator" : "email no longer verified")));
            return null;
        });
        return new EmailMarked(stores.users().find(user.id()).orElseThrow(() -> noUser(login)), true);
    }

    /** What disabling did; {@code already} when the account was disabled before. */
    public record Disabled(User user, boolean already, int grantsRevoked, int sessionsEnded) {}

    /**
     * Disables the account and, in the same transaction, revokes every grant it has (its apps',
     * its devices', and the client-credentials grants of clients it owns, with their codes and
     * tokens), ends its sessions and withdraws its mailed links. While disabled it cannot sign in
     * and no grant is stored for it; its tokens and sessions are refused everywhere (the Streaming
     * API within its cache's 5 seconds). Enabling does not bring the revoked grants back. Disabling a disabled account
     * sweeps again, so it is safe to repeat.
     */
    public Disabled disable(String login) {
        User user = require(login);
        Instant now = audit.clock().instant();
        return transactions.inTransaction(tx -> {
            boolean newly = tx.users().disable(user.id(), now);
            if (!newly && tx.users().find(user.id()).isEmpty()) throw noUser(login);
            int grants = tx.grants().revokeAll(user.id(), now);
            int sessions = endSessions(tx, user.id());
            // The mailed links stop working too, and their mail, if it has not left yet, never does:
            // a new password or a confirmed address is of no use to an account that cannot sign in.
            tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.RESET, List.of());
            tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.VERIFY, List.of());
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.USER_DISABLED).user(user.id())
                    .detail("revoked " + count(grants, "grant") + ", ended " + count(sessions, "session")
                            + (newly ? "" : "; was disabled already"))));
            return new Disabled(tx.users().find(user.id()).orElseThrow(), !newly, grants, sessions);
        });
    }

    /**
     * Ends every session of the account; the clients that had a grant in one are told (Back-Channel
     * Logout 1.0 §2.5): the logout tokens are queued here and a server's worker sends them.
     */
    private int endSessions(Stores tx, UserId userId) {
        new BackChannelLogout(audit.random(), audit.clock(), () -> { }).everySessionEnds(tx, userId);
        return tx.sessions().deleteAll(userId);
    }

    /** What removing an account's passkeys did: how many went. */
    public record PasskeysRemoved(User user, int removed) {}

    /**
     * Removes every passkey of the account, for a person who has lost theirs and cannot take the
     * second step of a sign-in: with none left (and no authenticator app), the password alone
     * signs in again, and they register new passkeys. The sessions stay as they were.
     */
    public PasskeysRemoved removePasskeys(String login) {
        User user = require(login);
        return transactions.inTransaction(tx -> {
            int removed = tx.passkeys().removeAll(user.id());
            if (removed > 0) {
                tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.PASSKEY_REMOVED).user(user.id())
                        .detail("by an operator: " + count(removed, "passkey"))));
            }
            return new PasskeysRemoved(user, removed);
        });
    }

    /** What enabling did; {@code changed} is false (and nothing was audited) when the account was not disabled. */
    public record Enabled(User user, boolean changed) {}

    /** Lets a disabled account sign in again. */
    public Enabled enable(String login) {
        User user = require(login);
        return transactions.inTransaction(tx -> {
            if (!tx.users().enable(user.id())) return new Enabled(user, false);
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.USER_ENABLED).user(user.id())));
            return new Enabled(user, true);
        });
    }

    /**
     * What removing an account deleted: what hung off it, the clients it owned (when asked to
     * remove them), and how many of its audit events now name {@code pseudonym} instead.
     */
    public record Removed(User user, AccountHoldings deleted, List<ClientId> removedClients, int anonymisedEvents, UserId pseudonym) {}

    /**
     * Removes the account and everything that is only its: grants with their codes and tokens,
     * sessions, consents, device codes, channels with their videos, device passwords, mailed links
     * with the mail not yet sent, and its second factor with its recovery codes (all through the
     * schema's cascades), and what the throttles counted for it. Its audit events stay, anonymised
     * ({@link dev.castgate.store.AuditStore#anonymise}) under a pseudonym drawn now and kept
     * nowhere else, so they still tell one account's story without saying whose. A client it owns
     * serves other people too, so it is removed only when {@code removeOwnedClients} says so;
     * otherwise the account is not removed.
     */
    public Removed remove(String login, boolean removeOwnedClients) {
        User user = require(login);
        UserId pseudonym = new UserId("removed-" + audit.random().hex40().substring(0, 32));
        Instant now = audit.clock().instant();
        return transactions.inTransaction(tx -> {
            List<ClientId> owned = ownedClients(tx, user.id());
            requireRemovable(user, owned, removeOwnedClients);
            AccountHoldings holdings = tx.users().holdings(user.id(), now);
            for (ClientId client : owned) {
                if (tx.clients().delete(client)) {
                    tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.CLIENT_REMOVED).client(client).user(user.id())
                            .detail("with the account that owned it")));
                }
            }
            SignInKeys.forget(tx.loginFailures(), user); // the keys hold the username, the email and the id
            if (!tx.users().delete(user.id())) throw noUser(login);
            int anonymised = tx.audit().anonymise(user.id(), pseudonym);
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.USER_REMOVED).user(pseudonym).detail("deleted " + summary(holdings, owned.size()))));
            return new Removed(user, holdings, owned, anonymised, pseudonym);
        });
    }

    /** The account's own fields, as the tool's {@code --json} and the admin API show them. */
    public static Map<String, Object> describe(User u) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", u.id().value());
        body.put("username", u.username());
        body.put("email", u.email());
        body.put("email_verified", u.emailVerified());
        u.name().ifPresent(n -> body.put("name", n));
        body.put("created_at", u.createdAt().toString());
        body.put("disabled", u.disabled());
        u.disabledAt().ifPresent(at -> body.put("disabled_at", at.toString()));
        return body;
    }

    /** The account with what hangs off it, as {@code castgate user show --json} and the admin API show it. */
    public static Map<String, Object> describe(Account account) {
        AccountHoldings h = account.holdings();
        Map<String, Object> body = describe(account.user());
        List.of(Map.entry("grants", h.grants()), Map.entry("sessions", h.sessions()), Map.entry("consents", h.consents()),
                Map.entry("channels", h.channels()), Map.entry("videos", h.videos()), Map.entry("device_passwords", h.devicePasswords()))
                .forEach(count -> body.put(count.getKey(), count.getValue()));
        body.put("passkeys", account.passkeys());
        body.put("owned_clients", account.ownedClients().stream().map(ClientId::value).toList());
        return body;
    }

    /** Refuses to remove an account that owns clients, unless they are to go with it; a caller may ask before confirming. */
    public static void requireRemovable(User user, List<ClientId> owned, boolean removeOwnedClients) {
        if (owned.isEmpty() || removeOwnedClients) return;
        throw new AdminException(user.username() + " owns " + count(owned.size(), "client") + " ("
                + String.join(", ", owned.stream().map(ClientId::value).toList()) + "), which other people may use: "
                + "give each another owner (castgate client update CLIENT_ID --owner USERNAME), "
                + "or remove them with the account (--remove-owned-clients)");
    }

    /** What an account holds, counted for the trail and the operator ("2 grants, 1 session, ..."): nothing in it names the person. */
    public static String summary(AccountHoldings h, int clients) {
        return count(h.grants(), "grant") + ", " + count(h.sessions(), "session") + ", " + count(h.consents(), "consent")
                + ", " + count(h.channels(), "channel") + ", " + count(h.videos(), "video") + ", "
                + count(h.devicePasswords(), "device password") + ", " + count(h.passkeys(), "passkey") + ", " + count(clients, "client");
    }

    /** "1 grant", "3 grants". */
    public static String count(int n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }

    private static List<ClientId> ownedClients(Stores stores, UserId userId) {
        return stores.clients().list().stream().filter(c -> c.ownerId().filter(userId::equals).isPresent()).map(Client::id).toList();
    }

    private User require(String login) {
        return stores.users().findByLogin(login).orElseThrow(() -> noUser(login));
    }

    private static AdminException noUser(String login) {
        return new AdminException.NotFound("no user '" + login + "'");
    }
}
