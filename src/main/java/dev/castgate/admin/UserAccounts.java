package dev.castgate.admin;

import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.http.TextRule;
import dev.castgate.store.AuditStore;
import dev.castgate.store.Stores;
import dev.castgate.store.UserStore;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creating accounts, with the rules every way of creating one shares. */
public final class UserAccounts {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,255}\\.[^@\\s\\p{Cntrl}]{1,63}");

    private final UserStore users;
    private final AuditStore auditStore;
    private final AuditTrail audit;
    private final PasswordHasher hasher;
    private final RandomTokens random;
    private final Clock clock;

    public UserAccounts(Stores stores, PasswordHasher hasher, RandomTokens random, Clock clock) {
        this.users = stores.users();
        this.auditStore = stores.audit();
        this.audit = new AuditTrail(random, clock);
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
    }

    public User create(String username, String email, boolean emailVerified, Optional<String> name, String password) {
        requireUsername(username);
        requireEmail(email);
        requireName(name);
        PasswordPolicy.check(password, username, email).ifPresent(problem -> { throw new AdminException(problem.key(), problem.english()); });
        User user = new User(new UserId(random.hex40()), username, email, emailVerified, name.filter(n -> !n.isBlank()),
                hasher.hash(password), clock.instant(), Optional.empty());
        if (users.insert(user) == UserStore.Insertion.TAKEN) throw new AdminException("account.error.taken", "the username or email is already taken");
        auditStore.record(audit.success(AuditEvent.Type.USER_CREATED).user(user.id()).detail(username));
        return users.find(user.id()).orElseThrow();
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
        if (!users.updateProfile(user.id(), name.filter(n -> !n.isBlank()), email, verified)) {
            throw new AdminException("account.error.email_taken", "the email is already taken");
        }
        return users.find(user.id()).orElseThrow();
    }

    /** Sets a new password under the same rules as a new account's. */
    public void changePassword(User user, String newPassword) {
        users.updatePassword(user.id(), hashNewPassword(user, newPassword));
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

    static void requireEmail(String email) {
        if (!EMAIL.matcher(email).matches() || email.length() > User.MAX_LOGIN_LENGTH) {
            throw new AdminException("account.error.email", "'" + email + "' is not an email address");
        }
    }

    static void requireName(Optional<String> name) {
        if (name.isPresent() && !TextRule.NAME.accepts(name.get())) {
            throw new AdminException("account.error.name", "the name must be at most 200 characters, without control characters");
        }
    }
}
