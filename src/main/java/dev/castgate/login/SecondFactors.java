package dev.castgate.login;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.LoginThrottleConfig;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.crypto.RecoveryCodes;
import dev.castgate.crypto.Totp;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.store.SecondFactorStore.TotpCredential;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's second factor: TOTP (RFC 6238) set up from the account page and confirmed with a
 * first code, and ten recovery codes, each accepted once in place of a code. At sign-in a code
 * is checked after the password, throttled like passwords ({@link Throttle}: recorded first,
 * then decided) per account, per account and address, and per address; a code of a step already
 * used is refused (RFC 6238 §5.2), on every node, by one conditional update.
 */
public record SecondFactors(Transactions transactions, Stores stores, Throttle throttle, AuditTrail audit, RandomTokens random,
                            Clock clock, LoginThrottleConfig config, TotpSecrets secrets) {
    private static final Logger log = LoggerFactory.getLogger(SecondFactors.class);

    /** The outcome of a code given at sign-in. */
    public sealed interface Check {
        /** Right; {@code recoveryCode} when it was one of the recovery codes, now used up. */
        record Passed(boolean recoveryCode) implements Check {}
        record Wrong() implements Check {}
        /** A right code of a step already used: someone may have seen it. */
        record Replayed() implements Check {}
        record Throttled(long retryAfterMinutes) implements Check {}
    }

    /** What the account page shows. */
    public record Status(boolean enabled, int recoveryCodesLeft) {}

    /**
     * Whether the person has the authenticator app, and so may give a code after their password
     * (their passkeys, {@link Passkeys}, are the other second step).
     */
    public boolean enabled(UserId userId) {
        return stores.secondFactors().find(userId).filter(TotpCredential::confirmed).isPresent();
    }

    public Status status(UserId userId) {
        return enabled(userId) ? new Status(true, stores.secondFactors().unusedRecoveryCodes(userId)) : new Status(false, 0);
    }

    /** Starts a set-up with a new secret, replacing one not confirmed; empty when the second factor is on already. */
    public Optional<String> begin(User user) {
        String secret = Totp.newSecret(random);
        return stores.secondFactors().begin(user.id(), secrets.seal(user.id(), secret), clock.instant()) ? Optional.of(secret) : Optional.empty();
    }

    /** The secret of the set-up under way, to show it again after a wrong first code. */
    public Optional<String> pending(User user) {
        return stores.secondFactors().find(user.id()).filter(c -> !c.confirmed()).flatMap(c -> secrets.open(user.id(), c.secret()));
    }

    /**
     * Turns the second factor on when {@code typed} is a current code of the set-up's secret, and
     * returns the new recovery codes, to be shown this once; empty when the code is wrong or there
     * is no set-up under way. The confirming code counts as used.
     */
    public Optional<List<String>> confirm(User user, String typed, String address) {
        Optional<TotpCredential> pending = stores.secondFactors().find(user.id()).filter(c -> !c.confirmed());
        String code = Totp.normalise(typed);
        Instant now = clock.instant();
        OptionalLong step = pending.isPresent() && Totp.looksLikeCode(code) ? matchingStep(pending.get(), code, now) : OptionalLong.empty();
        if (step.isEmpty()) {
            stores.audit().record(audit.failure(AuditEvent.Type.SECOND_FACTOR_ENABLED).user(user.id()).address(address)
                    .detail(pending.isPresent() ? "wrong first code" : "no set-up under way"));
            return Optional.empty();
        }
        List<String> codes = RecoveryCodes.generate(random);
        boolean confirmed = transactions.inTransaction(tx -> {
            if (!tx.secondFactors().confirm(user.id(), pending.get().secret(), step.getAsLong(), now)) return false;
            tx.secondFactors().replaceRecoveryCodes(user.id(), hashes(codes), now);
            tx.audit().record(audit.success(AuditEvent.Type.SECOND_FACTOR_ENABLED).user(user.id()).address(address));
            return true;
        });
        return confirmed ? Optional.of(codes) : Optional.empty(); // begun again, or confirmed, in another tab meanwhile
    }

    /** A code given after the password at sign-in (or to step a session up): a TOTP code, or a recovery code. */
    public Check check(User user, String typed, String address) {
        Throttle.Key pair = SignInKeys.secondFactorFrom(user.id(), address);
        // The person has given the right password by now, so the account is the key, and its limit
        // holds everywhere: an owner kept out for a window by someone with their password is the
        // price of not letting that someone guess on from many addresses.
        Throttle.Attempt attempt = throttle.begin(List.of(
                new Throttle.Limit(pair, config.maxFailuresPerAccountAndAddress()),
                new Throttle.Limit(SignInKeys.secondFactor(user.id()), config.maxFailuresPerAccount()),
                new Throttle.Limit(SignInKeys.address(address), config.maxFailuresPerAddress())));
        if (attempt.refused()) {
            stores.audit().record(audit.failure(AuditEvent.Type.LOGIN_THROTTLED).user(user.id()).address(address).detail("second factor"));
            return new Check.Throttled(throttle.retryAfterMinutes());
        }
        Instant now = clock.instant();
        String code = Totp.normalise(typed);
        Optional<TotpCredential> credential = stores.secondFactors().find(user.id()).filter(TotpCredential::confirmed);
        Check check;
        String detail;
        if (credential.isEmpty()) {
            check = new Check.Wrong(); // turned off since the password was given: that sign-in starts again
            detail = "no second factor";
        } else if (Totp.looksLikeCode(code)) {
            OptionalLong step = matchingStep(credential.get(), code, now);
            if (step.isEmpty()) {
                check = new Check.Wrong();
                detail = "wrong code";
            } else if (!stores.secondFactors().useStep(user.id(), step.getAsLong())) {
                check = new Check.Replayed();
                detail = "code already used";
            } else {
                check = new Check.Passed(false);
                detail = "code";
            }
        } else {
            Optional<TokenHash> hash = RecoveryCodes.hashOf(code);
            if (hash.isPresent() && stores.secondFactors().useRecoveryCode(user.id(), hash.get(), now)) {
                check = new Check.Passed(true);
                detail = "recovery code, " + stores.secondFactors().unusedRecoveryCodes(user.id()) + " left";
            } else {
                check = new Check.Wrong();
                detail = "wrong recovery code";
            }
        }
        if (check instanceof Check.Passed) {
            throttle.takeBack(attempt, List.of(pair));
            stores.audit().record(audit.success(AuditEvent.Type.SECOND_FACTOR).user(user.id()).address(address).detail(detail));
        } else {
            throttle.settle(attempt);
            stores.audit().record(audit.failure(AuditEvent.Type.SECOND_FACTOR).user(user.id()).address(address).detail(detail));
        }
        return check;
    }

    /** Turns the second factor off (the caller has checked the password); false when it was not on. */
    public boolean disable(User user, String address) {
        return transactions.inTransaction(tx -> {
            boolean removed = tx.secondFactors().remove(user.id());
            if (removed) tx.audit().record(audit.success(AuditEvent.Type.SECOND_FACTOR_DISABLED).user(user.id()).address(address));
            return removed;
        });
    }

    /** New recovery codes in place of the old ones, to be shown this once (the caller has checked the password); empty when off. */
    public Optional<List<String>> newRecoveryCodes(User user, String address) {
        List<String> codes = RecoveryCodes.generate(random);
        Instant now = clock.instant();
        return transactions.inTransaction(tx -> {
            if (tx.secondFactors().find(user.id()).filter(TotpCredential::confirmed).isEmpty()) return Optional.empty();
            tx.secondFactors().replaceRecoveryCodes(user.id(), hashes(codes), now);
            tx.audit().record(audit.success(AuditEvent.Type.RECOVERY_CODES_CREATED).user(user.id()).address(address));
            return Optional.of(codes);
        });
    }

    /**
     * The step whose code {@code code} is, for the stored secret. A secret that does not open
     * (its key was lost and made anew, see README, Keys at rest) matches no code; the person
     * still signs in with a recovery code, which is only a hash.
     */
    private OptionalLong matchingStep(TotpCredential credential, String code, Instant now) {
        Optional<String> secret = secrets.open(credential.userId(), credential.secret());
        if (secret.isEmpty()) {
            log.warn("the TOTP secret of user {} does not open with the server's key; their codes are refused", credential.userId());
            return OptionalLong.empty();
        }
        return Totp.matchingStep(secret.get(), code, now);
    }

    private static List<TokenHash> hashes(List<String> codes) {
        return codes.stream().map(code -> RecoveryCodes.hashOf(code).orElseThrow()).toList();
    }
}
