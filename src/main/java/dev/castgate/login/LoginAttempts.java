package dev.castgate.login;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.LoginThrottleConfig;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.http.TextRule;
import dev.castgate.store.AuditStore;
import dev.castgate.store.Stores;
import dev.castgate.store.UserStore;
import java.util.List;
import java.util.Optional;

/**
 * Checks a username or email and password, throttled per name and address, per name and per
 * address, so that guessing is slow whether it aims at one account or many, from one address or
 * many, and no stranger can keep the owner out.
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
        // No username or email holds a control character (TextRule), and PostgreSQL refuses a NUL
        // in a query: the sign-in form shows such a name again, so it is an unknown account here,
        // counted under a key with its control characters replaced.
        boolean impossible = !TextRule.line(User.MAX_LOGIN_LENGTH).accepts(login);
        String name = impossible ? login.replaceAll("[\\p{Cntrl}\\x80-\\x9f]", "?") : login;
        Optional<User> user = impossible ? Optional.empty() : users.findByLogin(name);
        return check(user, SignInKeys.normalise(name), password, address, true);
    }

    /**
     * Checks a signed-in person's current password before it is changed: throttled and counted
     * like a sign-in with their username, so a borrowed session cannot be used to guess it.
     */
    public Result confirm(User user, String password, String address) {
        return check(Optional.of(user), SignInKeys.normalise(user.username()), password, address, false);
    }

    /**
     * Counted by the typed name, never by the account (see {@link SignInKeys}). From one address a
     * name gets the per-pair limit; from all addresses together it gets a higher ceiling, which
     * holds only addresses that have failed recently: the right password from an address with no
     * recent failures still signs in, so nobody can lock an owner out from elsewhere.
     */
    private Result check(Optional<User> user, String name, String password, String address, boolean signIn) {
        Throttle.Key fromAddress = SignInKeys.address(address);
        Throttle.Key pair = SignInKeys.nameFrom(name, address);
        Throttle.Attempt attempt = throttle.begin(List.of(
                new Throttle.Limit(pair, config.maxFailuresPerAccountAndAddress()),
                Throttle.Limit.ceiling(SignInKeys.name(name), config.maxFailuresPerAccount(), fromAddress),
                new Throttle.Limit(fromAddress, config.maxFailuresPerAddress())));
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
        // A disabled account is answered as a wrong password, after the same hashing and counted
        // the same: telling it apart would confirm a password to whoever holds it, and the
        // account's owner learns from the operator why it was disabled. The trail says which.
        boolean disabled = valid && user.get().disabled();
        if (!valid || disabled) {
            throttle.settle(attempt);
            auditStore.record(audit.failure(AuditEvent.Type.LOGIN).user(user.map(User::id)).address(address)
                    .detail(disabled ? "account disabled" : !signIn ? "wrong current password"
                            : user.isPresent() ? "wrong password" : "unknown account"));
            return new Result.WrongCredentials();
        }
        // The owner's own typos from here are forgiven; the name's count from elsewhere is not,
        // so a correct sign-in does not hand a guesser spread over many addresses a fresh ceiling.
        throttle.takeBack(attempt, List.of(pair));
        if (signIn) auditStore.record(audit.success(AuditEvent.Type.LOGIN).user(user.get().id()).address(address));
        return new Result.Success(user.get());
    }
}
