package dev.castgate.login;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.LoginThrottleConfig;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.store.AuditStore;
import dev.castgate.store.Stores;
import dev.castgate.store.UserStore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a username or email and password, throttled per account and per address so that
 * guessing is slow whether it aims at one account or many.
 */
public final class LoginAttempts {
    /** The outcome of one sign-in attempt. */
    public sealed interface Result {
        record Success(User user) implements Result {}
        record WrongCredentials() implements Result {}
        record Throttled(long retryAfterMinutes) implements Result {}
    }

    private final UserStore users;
    private final Throttle throttle;
    private final AuditStore auditStore;
    private final AuditTrail audit;
    private final PasswordHasher hasher;
    private final LoginThrottleConfig config;

    public LoginAttempts(Stores stores, Throttle throttle, AuditTrail audit, PasswordHasher hasher, LoginThrottleConfig config) {
        this.users = stores.users();
        this.throttle = throttle;
        this.auditStore = stores.audit();
        this.audit = audit;
        this.hasher = hasher;
        this.config = config;
    }

    /**
     * Whether a typed name and password are of lengths that an account can have; longer ones are
     * refused before any lookup or hash, as a malformed request.
     */
    public static boolean fits(String login, String password) {
        return login.length() <= User.MAX_LOGIN_LENGTH && password.length() <= PasswordPolicy.MAX_LENGTH;
    }

    public Result attempt(String login, String password, String address) {
        // No username or email holds a control character, and PostgreSQL refuses a NUL byte in a
        // query: such a name is an unknown account, counted under a cleaned-up key.
        boolean impossible = login.chars().anyMatch(Character::isISOControl);
        String name = impossible ? login.replaceAll("\\p{Cntrl}", "?") : login;
        Optional<User> user = impossible ? Optional.empty() : users.findByLogin(name);
        // Counted per account, not per name typed: the username and the email of one account share
        // one count. A name with no account is counted by itself, under another prefix.
        Throttle.Key accountKey = user.map(u -> Throttle.Kind.ACCOUNT.of(u.id().value()))
                .orElseGet(() -> Throttle.Kind.UNKNOWN_LOGIN.of(name.trim().toLowerCase(Locale.ROOT)));
        return check(user, accountKey, password, address, true);
    }

    /**
     * Checks a signed-in person's current password before it is changed: throttled and counted
     * like a sign-in, so a borrowed session cannot be used to guess it.
     */
    public Result confirm(User user, String password, String address) {
        return check(Optional.of(user), Throttle.Kind.ACCOUNT.of(user.id().value()), password, address, false);
    }

    private Result check(Optional<User> user, Throttle.Key accountKey, String password, String address, boolean signIn) {
        Throttle.Attempt attempt = throttle.begin(List.of(new Throttle.Limit(accountKey, config.maxFailuresPerAccount()),
                new Throttle.Limit(Throttle.Kind.SIGN_IN_ADDRESS.of(address), config.maxFailuresPerAddress())));
        if (attempt.refused()) {
            auditStore.record(audit.failure(AuditEvent.Type.LOGIN_THROTTLED).user(user.map(User::id)).address(address));
            return new Result.Throttled(throttle.retryAfterMinutes());
        }
        boolean valid;
        if (user.isPresent()) {
            valid = hasher.verify(password, user.get().passwordHash());
        } else {
            hasher.verifyDecoy(password);
            valid = false;
        }
        if (!valid) {
            throttle.settle(attempt);
            auditStore.record(audit.failure(AuditEvent.Type.LOGIN).user(user.map(User::id)).address(address)
                    .detail(!signIn ? "wrong current password" : user.isPresent() ? "wrong password" : "unknown account"));
            return new Result.WrongCredentials();
        }
        throttle.takeBack(attempt, List.of(accountKey));
        if (signIn) auditStore.record(audit.success(AuditEvent.Type.LOGIN).user(user.get().id()).address(address));
        return new Result.Success(user.get());
    }
}
