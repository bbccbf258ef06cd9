package dev.castgate.keys;

import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.config.ServerConfig.SigningKeysConfig;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rotating and retiring signing keys, for the command line and for housekeeping alike. Every
 * change is one transaction that reads the rows, decides from them and writes, with its audit
 * event. A rotation adds the algorithm's next generation, which the (algorithm, generation) index
 * admits once: two nodes rotating at once make one key. New keys are generated before the
 * transaction, so no lock waits on key generation.
 */
public final class KeyRotation {
    /** Tries of an operator's rotation that lost its generation to another writer before it gives up. */
    private static final int ROTATE_TRIES = 5;

    private final Transactions db;
    private final KeysAtRest keysAtRest;
    private final AuditTrail audit;
    private final Clock clock;
    private final SigningKeysConfig config;

    public KeyRotation(Transactions db, KeysAtRest keysAtRest, AuditTrail audit, Clock clock, SigningKeysConfig config) {
        this.db = db;
        this.keysAtRest = keysAtRest;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
    }

    /** What {@code keys retire} came to. */
    public sealed interface Retirement {
        /** Retired; {@code successor} is the key that signs in its place from now, where it was the signing key. */
        record Retired(SigningKey key, Optional<SigningKey> successor) implements Retirement {}

        record Unknown() implements Retirement {}

        record AlreadyRetired(SigningKey key) implements Retirement {}

        /** It is the key that signs its algorithm's tokens and no newer key could take over. */
        record OnlyKey(SigningKey key) implements Retirement {}
    }

    /** What one round of housekeeping did to the keys. */
    public record Round(List<SigningKey> rotated, List<SigningKey> retired) {
        public boolean changed() { return !rotated.isEmpty() || !retired.isEmpty(); }
    }

    /** An operator's rotation: a new key of each algorithm, published now and signing after {@code keys.activation_delay}. */
    public List<SigningKey> rotate(Set<SigningAlgorithm> algorithms) { return rotate(algorithms, Operator.COMMAND_LINE); }

    /** The same, audited as {@code operator}'s. */
    public List<SigningKey> rotate(Set<SigningAlgorithm> algorithms, Operator operator) {
        List<SigningKey> made = new ArrayList<>();
        // One moment for every algorithm: the keys of one rotation activate together.
        Instant now = now();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            if (!algorithms.contains(algorithm)) continue;
            SigningKeys.Made key = SigningKeys.make(algorithm, 0, now, now.plus(config.activationDelay()));
            // Another writer that took the generation first made its own key; this one is still wanted, so it takes the next.
            Optional<SigningKey> added = Optional.empty();
            for (int i = 0; i < ROTATE_TRIES && added.isEmpty(); i++) added = add(key, "by an operator", false, operator);
            made.add(added.orElseThrow(() -> new IllegalStateException("other writers kept taking the next " + algorithm
                    + " key generation; run the command again")));
        }
        return made;
    }

    /**
     * An operator's retirement: the key is no longer published, its key material is deleted, and
     * tokens it signed are refused. The key that signs is retired only when a newer key exists,
     * which then signs at once.
     */
    public Retirement retire(String kid) { return retire(kid, Operator.COMMAND_LINE); }

    /** The same, audited as {@code operator}'s. */
    public Retirement retire(String kid, Operator operator) {
        Instant now = now();
        return db.inTransaction(tx -> {
            KeySchedule schedule = new KeySchedule(tx.signingKeys().list());
            Optional<SigningKey> found = schedule.keys().stream().filter(k -> k.kid().equals(kid)).findFirst();
            if (found.isEmpty()) return new Retirement.Unknown();
            SigningKey key = found.get();
            if (key.retired()) return new Retirement.AlreadyRetired(key);
            Optional<SigningKey> successor = Optional.empty();
            if (schedule.state(key, now) == KeySchedule.State.ACTIVE) {
                successor = schedule.successor(key);
                if (successor.isEmpty()) return new Retirement.OnlyKey(key);
                tx.signingKeys().activateBy(successor.get().kid(), now);
            }
            if (!tx.signingKeys().retire(kid, now)) return new Retirement.AlreadyRetired(key);
            String detail = describe(key) + " retired by an operator"
                    + successor.map(s -> "; " + s.kid() + " signs in its place from now").orElse("");
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.SIGNING_KEY_RETIRED).detail(detail)));
            return new Retirement.Retired(key, successor);
        });
    }

    /**
     * Housekeeping's part: a new key of each algorithm whose newest is {@code keys.rotation_interval}
     * old (when set), and retirement of every key that stopped signing longer ago than
     * {@code longestLifetime}, the longest lifetime of anything Castgate signs, and a reread interval more
     * for the nodes that learnt of its successor last.
     */
    public Round housekeep(Duration longestLifetime) {
        List<SigningKey> rotated = new ArrayList<>();
        if (config.rotatesAutomatically()) {
            Instant now = now();
            for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
                if (!new KeySchedule(db.inTransaction(tx -> tx.signingKeys().list())).rotationDue(algorithm, now, config.rotationInterval())) {
                    continue;
                }
                SigningKeys.Made key = SigningKeys.make(algorithm, 0, now, now.plus(config.activationDelay()));
                add(key, "by automatic rotation", true, Operator.COMMAND_LINE).ifPresent(rotated::add);
            }
        }
        Duration keep = longestLifetime.plus(config.rereadInterval());
        Instant now = now();
        List<SigningKey> retired = db.inTransaction(tx -> {
            List<SigningKey> done = new ArrayList<>();
            for (SigningKey key : new KeySchedule(tx.signingKeys().list()).dueForRetirement(now, keep)) {
                if (!tx.signingKeys().retire(key.kid(), now)) continue;
                tx.audit().record(audit.success(AuditEvent.Type.SIGNING_KEY_RETIRED)
                        .detail(describe(key) + " retired by housekeeping: every token it signed has expired"));
                done.add(key);
            }
            return done;
        });
        return new Round(rotated, retired);
    }

    /**
     * Adds {@code made} as its algorithm's next generation, in one transaction with its audit
     * event; empty when another writer took that generation first, or, where {@code onlyIfDue},
     * when the rows read in the transaction show that a rotation is no longer due.
     */
    private Optional<SigningKey> add(SigningKeys.Made made, String how, boolean onlyIfDue, Operator operator) {
        return db.inTransaction(tx -> {
            KeySchedule schedule = new KeySchedule(tx.signingKeys().list());
            SigningKey proposed = made.key();
            if (onlyIfDue && !schedule.rotationDue(proposed.algorithm(), proposed.createdAt(), config.rotationInterval())) {
                return Optional.<SigningKey>empty();
            }
            // A node still running with the key file from before `keys reencrypt` must not seal a key the other nodes cannot
            // open: opening a stored key first refuses (KeyFileProblem) where this node's key file no longer matches.
            schedule.keys().stream().filter(k -> !k.retired()).findFirst().ifPresent(k -> sealed(tx).findJwk(k.kid()));
            SigningKey key = new SigningKey(proposed.kid(), proposed.algorithm(), schedule.nextGeneration(proposed.algorithm()),
                    proposed.createdAt(), proposed.activatesAt(), Optional.empty());
            if (!sealed(tx).insert(key, made.jwkJson())) return Optional.<SigningKey>empty();
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.SIGNING_KEY_ROTATED)
                    .detail(describe(key) + " added " + how + "; it signs from " + key.activatesAt())));
            return Optional.of(key);
        });
    }

    /** Every key with its state now, as {@code castgate keys list} and the admin API show them. */
    public List<Map<String, Object>> list() {
        Instant now = clock.instant();
        KeySchedule schedule = db.inTransaction(tx -> new KeySchedule(tx.signingKeys().list()));
        return schedule.keys().stream().map(key -> schedule.describe(key, now)).toList();
    }

    /** What an operator names a rotation's algorithms by: ES256, RS256 or all (any case); empty for anything else. */
    public static Optional<Set<SigningAlgorithm>> algorithms(String raw) {
        if (raw.trim().equalsIgnoreCase("all")) return Optional.of(EnumSet.allOf(SigningAlgorithm.class));
        for (SigningAlgorithm a : SigningAlgorithm.values()) if (a.name().equalsIgnoreCase(raw.trim())) return Optional.of(EnumSet.of(a));
        return Optional.empty();
    }

    /** The time to the millisecond, as the rows keep it, so what is said (audit, output) is what is stored. */
    private Instant now() { return clock.instant().truncatedTo(ChronoUnit.MILLIS); }

    private dev.castgate.store.SigningKeyStore sealed(Stores tx) { return keysAtRest.signingKeys(tx.signingKeys()); }

    private static String describe(SigningKey key) {
        return key.algorithm() + " key " + key.kid();
    }
}
