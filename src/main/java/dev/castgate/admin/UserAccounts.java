package dev.castgate.admin;

import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.http.TextRule;
import dev.castgate.store.Stores;
import dev.castgate.store.UserStore;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creating accounts, with the rules every way of creating one shares. */
public final class UserAccounts {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,255}\\.[^@\\s\\p{Cntrl}]{1,63}");

    private final Stores stores;
    private final AuditTrail audit;
    private final PasswordHasher hasher;
    private final RandomTokens random;
    private final Clock clock;

    public UserAccounts(Stores stores, PasswordHasher hasher, RandomTokens random, Clock clock) {
        this.stores = stores;
        this.audit = new AuditTrail(random, clock);
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
    }

    public User create(String username, String email, boolean emailVerified, Optional<String> name, String password) {
        return create(username, email, emailVerified, name, password, Operator.COMMAND_LINE);
    }

    /** The same, audited as {@code operator}'s (an admin client names itself in the event). */
    public User create(String username, String email, boolean emailVerified, Optional<String> name, String password, Operator operator) {
        User user = newAccount(username, email, emailVerified, name, password);
        if (!insert(stores, user, operator)) throw new AdminException("account.error.taken", "the username or email is already taken");
        return stores.users().find(user.id()).orElseThrow();
    }

    /**
     * A new account under the rules, its password hashed (tens of milliseconds, never spent inside
     * a transaction), not stored yet: for a caller that stores it with more in one transaction.
     */
    public User newAccount(String username, String email, boolean emailVerified, Optional<String> name, String password) {
        requireUsername(username);
        requireEmail(email);
        requireName(name);
        PasswordPolicy.check(password, username, email).ifPresent(problem -> { throw new AdminException(problem.key(), problem.english()); });
        return new User(new UserId(random.hex40()), username, email, emailVerified, name.filter(n -> !n.isBlank()),
                hasher.hash(password), clock.instant(), clock.instant(), Optional.empty());
    }

    /** Stores an account {@link #newAccount} made, with its audit event, through {@code tx}; false when the username or email is taken. */
    public boolean insert(Stores tx, User user) { return insert(tx, user, Operator.COMMAND_LINE); }

    private boolean insert(Stores tx, User user, Operator operator) {
        if (tx.users().insert(user) == UserStore.Insertion.TAKEN) return false;
        tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.USER_CREATED).user(user.id()).detail(user.username())));
        return true;
    }

    /**
     * Changes the name and email; a changed email is no longer verified. Returns the updated user.
     * The caller records the event, since it knows where the change came from.
     */
    public User updateProfile(User user, Optional<String> name, String email) {
        requireEmail(email);
        requireName(name);
        boolean emailChanged = !email.equalsIgnoreCase(user.email());
        boolean verified = user.emailVerified() && !emailChanged;
        if (!stores.users().updateProfile(user.id(), name.filter(n -> !n.isBlank()), email, verified, clock.instant())) {
            throw new AdminException("account.error.email_taken", "the email is already taken");
        }
        return stores.users().find(user.id()).orElseThrow();
    }

    /** Sets a new password under the same rules as a new account's. */
    public void changePassword(User user, String newPassword) {
        stores.users().updatePassword(user.id(), hashNewPassword(user, newPassword));
    }

    /**
     * The stored form of a new password that the policy allows, for a caller that writes it in a
     * transaction of its own: hashing takes tens of milliseconds, never spent inside one.
     */
    public String hashNewPassword(User user, String newPassword) {
        PasswordPolicy.check(newPassword, user.username(), user.email())
                .ifPresent(problem -> { throw new AdminException(problem.key(), problem.english()); });
        return hasher.hash(newPassword);
    }

    static void requireUsername(String username) {
        if (!USERNAME.matcher(username).matches()) {
            throw new AdminException("account.error.username",
                    "the username must be 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit");
        }
    }

    /** Refuses what is not an email address, with the page text's key. */
    public static void requireEmail(String email) {
        if (!EMAIL.matcher(email).matches() || email.length() > User.MAX_LOGIN_LENGTH) {
            throw new AdminException("account.error.email", "'" + email + "' is not an email address");
        }
    }

    /** Refuses a name that is too long or holds control characters, with the page text's key. */
    public static void requireName(Optional<String> name) {
        if (name.isPresent() && !TextRule.NAME.accepts(name.get())) {
            throw new AdminException("account.error.name", "the name must be at most 200 characters, without control characters");
        }
    }
}
