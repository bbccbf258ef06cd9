package dev.castgate.login;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.store.LoginFailureStore;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one throttle of guesses: passwords and second-factor codes at sign-in, user codes on the
 * device page, sign-ups, and of the mail a stranger could make Castgate send (recovery requests,
 * verification mails). An
 * attempt is recorded, pending, under each of its keys before it is checked, in one transaction
 * in which concurrent attempts on the same keys are counted one after the other. It is refused
 * when the failures alone reach a limit; while the failures and the attempts still being checked
 * together pass it, it waits for those to finish: twelve guesses sent at once are checked five at
 * a time at most, and once five have failed the rest are refused before any password is hashed.
 * A checked attempt is then settled as a failure, or taken back where it was none (a sign-in that
 * succeeded), and a refused one leaves no trace. A ceiling ({@link Limit#ceiling}) holds only
 * attempts that are not alone under another of their keys, decided in the same transaction.
 */
public record Throttle(Transactions transactions, RandomTokens random, Duration window, Clock clock) {
    /** What is being guessed at, or from where: each kind of key counts apart from the others. */
    public enum Kind {
        /** Sign-in guesses at one typed name (a username or an email, an account's or not), from any address. */
        LOGIN_NAME("login"),
        /** Sign-in guesses at one typed name from one address. */
        LOGIN_NAME_FROM_ADDRESS("login-from"),
        /** Sign-in guesses from one address. */
        SIGN_IN_ADDRESS("address"),
        /** Sign-ups from one address. */
        SIGN_UP_ADDRESS("signup"),
        /** User codes typed in one browser session. */
        DEVICE_SESSION("device-session"),
        /** User codes typed from one address. */
        DEVICE_ADDRESS("device-address"),
        /** Refused publishes (wrong keys or device passwords) from one address. */
        PUBLISH_ADDRESS("publish-address"),
        /** Second-factor codes (TOTP or recovery) and passkeys given for one account, from any address. */
        SECOND_FACTOR_ACCOUNT("second-factor"),
        /** Second-factor codes and passkeys given for one account from one address. */
        SECOND_FACTOR_ACCOUNT_FROM_ADDRESS("second-factor-from"),
        /** Verification mails sent to one account (by its id): sign-up, email changes, Send again. */
        VERIFICATION_MAIL("verification-mail"),
        /** Recovery mails sent to one account (by its id). */
        RECOVERY_MAIL("recovery-mail"),
        /** "Forgot password?" requests from one address. */
        RECOVERY_ADDRESS("recovery-address");

        private final String prefix;

        Kind(String prefix) { this.prefix = prefix; }

        public Key of(String subject) { return new Key(this, subject); }
    }

    /** What an attempt is counted under: typed by its kind, so no two throttles share a key by accident. */
    public record Key(Kind kind, String subject) {
        String value() { return kind.prefix + ":" + subject; }
    }

    /**
     * At most {@code max} attempts under the key within the window. With {@code unlessFirstUnder},
     * a ceiling that does not hold an attempt that is the only one under that other key within the
     * window (a sign-in from an address with no recent failures): it slows guessing from places
     * that have guessed, without locking everyone else out.
     */
    public record Limit(Key key, int max, Optional<Key> unlessFirstUnder) {
        public Limit(Key key, int max) { this(key, max, Optional.empty()); }

        public static Limit ceiling(Key key, int max, Key unlessFirstUnder) {
            return new Limit(key, max, Optional.of(unlessFirstUnder));
        }
    }

    /** One recorded attempt: refused when it passed a limit. */
    public record Attempt(String id, boolean refused) {}

    /** An attempt still pending after this was left by a node that stopped mid-check; it no longer counts. */
    private static final Duration PENDING_AT_MOST = Duration.ofSeconds(30);
    /** How long an attempt waits at most for others on its keys to be checked; then it is refused. */
    private static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);
    private static final long RETRY_MILLIS = 20;

    /** In rising order: the strictest of an attempt's limits decides. */
    private enum Decision { CHECK, WAIT, REFUSE }

    /** Records an attempt under every limit's key and decides, waiting while others on its keys are checked. */
    public Attempt begin(List<Limit> limits) {
        Set<String> distinct = new LinkedHashSet<>();
        for (Limit limit : limits) {
            distinct.add(limit.key().value());
            limit.unlessFirstUnder().ifPresent(key -> distinct.add(key.value()));
        }
        List<String> keys = List.copyOf(distinct);
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        while (true) {
            String id = random.hex40();
            Instant now = clock.instant();
            Decision decision = transactions.inTransaction(tx -> {
                List<LoginFailureStore.Counts> counts = tx.loginFailures().record(id, keys, now, now.minus(window),
                        now.minus(PENDING_AT_MOST));
                Map<String, LoginFailureStore.Counts> byKey = new HashMap<>();
                for (int i = 0; i < keys.size(); i++) byKey.put(keys.get(i), counts.get(i));
                Decision decided = Decision.CHECK;
                for (Limit limit : limits) {
                    Decision d = decide(limit, byKey);
                    if (d.compareTo(decided) > 0) decided = d;
                }
                if (decided != Decision.CHECK) tx.loginFailures().takeBack(id);
                return decided;
            });
            if (decision == Decision.CHECK) return new Attempt(id, false);
            if (decision == Decision.REFUSE || System.nanoTime() > deadline) return new Attempt(id, true);
            // The attempts it waits for may be another node's: only the database knows when they
            // end, so it asks again shortly rather than holding a transaction across their checks.
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Attempt(id, true);
            }
        }
    }

    private static Decision decide(Limit limit, Map<String, LoginFailureStore.Counts> byKey) {
        LoginFailureStore.Counts count = byKey.get(limit.key().value());
        int max = limit.max();
        if (limit.unlessFirstUnder().isPresent()) {
            LoginFailureStore.Counts first = byKey.get(limit.unlessFirstUnder().get().value());
            // This attempt alone under that key (its own row is pending): the ceiling does not hold it.
            if (first.failures() == 0 && first.pending() <= 1) return Decision.CHECK;
            // Others under that key are still being checked: if they all succeed it is alone again.
            if (count.failures() >= max) return first.failures() > 0 ? Decision.REFUSE : Decision.WAIT;
        } else if (count.failures() >= max) {
            return Decision.REFUSE;
        }
        return count.failures() + count.pending() > max ? Decision.WAIT : Decision.CHECK;
    }

    /** The attempt failed: it counts from now on. */
    public void settle(Attempt attempt) {
        transactions.inTransaction(tx -> {
            tx.loginFailures().settle(attempt.id());
            return null;
        });
    }

    /** The attempt does not count (it was no failure). */
    public void takeBack(Attempt attempt) { takeBack(attempt, List.of()); }

    /** The attempt does not count, and neither do the earlier ones under {@code forgotten}. */
    public void takeBack(Attempt attempt, List<Key> forgotten) {
        transactions.inTransaction(tx -> {
            tx.loginFailures().takeBack(attempt.id());
            for (Key key : forgotten) tx.loginFailures().clear(key.value());
            return null;
        });
    }

    /** How long a refused person is told to wait, in whole minutes. */
    public long retryAfterMinutes() { return Math.max(1, window.toMinutes()); }
}
