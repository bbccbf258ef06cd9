package dev.castgate.login;

import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.store.LoginFailureStore;
import java.util.Locale;

/**
 * What a sign-in is counted under: the name as typed (a username or an email), from anywhere and
 * from the one address, and the address. Never the account: a username and its email count apart,
 * so when refusals start says nothing about which email belongs to which username, and a name no
 * account has is counted exactly like one an account has.
 */
public final class SignInKeys {
    private SignInKeys() {}

    /**
     * The name as accounts are looked up by it (trimmed, lower case), so every spelling that finds
     * an account counts as that name. Cut to the longest name an account can have, so a key fits.
     */
    static String normalise(String typed) {
        String name = typed.trim().toLowerCase(Locale.ROOT);
        return name.length() <= User.MAX_LOGIN_LENGTH ? name : name.substring(0, User.MAX_LOGIN_LENGTH);
    }

    static Throttle.Key name(String name) {
        return Throttle.Kind.LOGIN_NAME.of(name);
    }

    /** The name's length first, so the keys of one name start alike and no other name's do. */
    static Throttle.Key nameFrom(String name, String address) {
        return Throttle.Kind.LOGIN_NAME_FROM_ADDRESS.of(namePrefix(name) + address);
    }

    static Throttle.Key address(String address) {
        return Throttle.Kind.SIGN_IN_ADDRESS.of(address);
    }

    /**
     * Second-factor codes are counted by the account: only someone who gave its password is asked
     * for one, so the account is no secret to them.
     */
    static Throttle.Key secondFactor(UserId userId) {
        return Throttle.Kind.SECOND_FACTOR_ACCOUNT.of(userId.value());
    }

    /** The account's id first, then {@code @}, which no id holds: the keys of one account start alike and no other's do. */
    static Throttle.Key secondFactorFrom(UserId userId, String address) {
        return Throttle.Kind.SECOND_FACTOR_ACCOUNT_FROM_ADDRESS.of(userId.value() + "@" + address);
    }

    private static String namePrefix(String name) {
        return name.length() + ":" + name + "@";
    }

    /**
     * Forgets the failed sign-ins at the user's username and email, and the wrong second-factor
     * codes given for the account, from every address, so their limits start again; answers how
     * many it forgot. Failures from the addresses themselves stay.
     */
    public static int unlock(LoginFailureStore failures, User user) {
        int forgotten = 0;
        for (String typed : new String[] {user.username(), user.email()}) {
            String name = normalise(typed);
            // Every failure at a name is under its name key once; the per-address keys repeat them.
            forgotten += failures.clear(name(name).value());
            failures.clearStartingWith(Throttle.Kind.LOGIN_NAME_FROM_ADDRESS.of(namePrefix(name)).value());
        }
        forgotten += failures.clear(secondFactor(user.id()).value());
        failures.clearStartingWith(secondFactorFrom(user.id(), "").value());
        return forgotten;
    }

    /**
     * Forgets everything counted about the account, for its removal: what {@link #unlock} forgets,
     * and its allowances of verification and recovery mails, which are counted by its id.
     */
    public static void forget(LoginFailureStore failures, User user) {
        unlock(failures, user);
        failures.clear(Throttle.Kind.VERIFICATION_MAIL.of(user.id().value()).value());
        failures.clear(Throttle.Kind.RECOVERY_MAIL.of(user.id().value()).value());
    }
}
