package dev.castgate.keys;

import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which key signs, and what each key's state is, read from the rows alone, so every node that
 * reads the same rows at the same time agrees, whichever node or command wrote them. Keys of an
 * algorithm rank by activation time, then generation. The signing key is the highest-ranked key
 * not retired whose activation has come; where none has (a node whose clock runs behind the one
 * that rotated), the lowest-ranked pending one, which is published already.
 */
public record KeySchedule(List<SigningKey> keys) {
    /** A key's state at a moment, as {@code castgate keys list} shows it. */
    public enum State {
        /** Published, not signing yet. */
        PENDING,
        /** Published and signing. */
        ACTIVE,
        /** Published, no longer signing: tokens it signed may still be live. */
        RETIRING,
        /** Not published; its key material is deleted. */
        RETIRED;

        public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    static final Comparator<SigningKey> RANK = Comparator.comparing(SigningKey::activatesAt).thenComparingInt(SigningKey::generation);

    public KeySchedule {
        keys = List.copyOf(keys);
    }

    /** The key that signs {@code algorithm}'s tokens at {@code now}; empty only when every key of it is retired. */
    public Optional<SigningKey> signing(SigningAlgorithm algorithm, Instant now) {
        SigningKey activated = null;
        SigningKey firstPending = null;
        for (SigningKey key : keys) {
            if (key.algorithm() != algorithm || key.retired()) continue;
            if (!key.activatesAt().isAfter(now)) {
                if (activated == null || RANK.compare(key, activated) > 0) activated = key;
            } else if (firstPending == null || RANK.compare(key, firstPending) < 0) {
                firstPending = key;
            }
        }
        return Optional.ofNullable(activated != null ? activated : firstPending);
    }

    /** One key as the tool's {@code --json} and the admin API show it: kid, alg, state, and its times. */
    public java.util.Map<String, Object> describe(SigningKey key, Instant now) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("kid", key.kid());
        body.put("alg", key.algorithm().name());
        body.put("state", state(key, now).wireName());
        body.put("created_at", key.createdAt().toString());
        body.put("activates_at", key.activatesAt().toString());
        key.retiredAt().ifPresent(at -> body.put("retired_at", at.toString()));
        return body;
    }

    public State state(SigningKey key, Instant now) {
        if (key.retired()) return State.RETIRED;
        if (signing(key.algorithm(), now).filter(k -> k.kid().equals(key.kid())).isPresent()) return State.ACTIVE;
        return key.activatesAt().isAfter(now) ? State.PENDING : State.RETIRING;
    }

    /** A key of the same algorithm, not retired, ranked above {@code key}: the one that signs once {@code key} is retired. */
    public Optional<SigningKey> successor(SigningKey key) {
        return keys.stream().filter(k -> k.algorithm() == key.algorithm() && !k.retired() && RANK.compare(k, key) > 0).min(RANK);
    }

    /**
     * When a retiring key stopped signing: when the first key ranked above it that did sign
     * activated. Every token it signed was signed before then.
     */
    public Optional<Instant> stoppedSigning(SigningKey key, Instant now) {
        return keys.stream().filter(k -> k.algorithm() == key.algorithm() && RANK.compare(k, key) > 0 && k.signedBefore(now))
                .map(SigningKey::activatesAt).min(Comparator.naturalOrder());
    }

    /**
     * The retiring keys whose tokens have all expired: they stopped signing at least {@code keep}
     * ago, the longest lifetime of anything they sign with the margin for nodes that read the
     * change late.
     */
    public List<SigningKey> dueForRetirement(Instant now, Duration keep) {
        return keys.stream().filter(k -> state(k, now) == State.RETIRING)
                .filter(k -> stoppedSigning(k, now).filter(stopped -> !stopped.plus(keep).isAfter(now)).isPresent())
                .toList();
    }

    /** Whether {@code algorithm}'s newest key not retired, if any, was made {@code interval} ago or longer: automatic rotation then adds one. */
    public boolean rotationDue(SigningAlgorithm algorithm, Instant now, Duration interval) {
        return keys.stream().filter(k -> k.algorithm() == algorithm && !k.retired()).max(Comparator.comparingInt(SigningKey::generation))
                .map(k -> !k.createdAt().plus(interval).isAfter(now)).orElse(true);
    }

    /** The generation a new key of {@code algorithm} takes. */
    public int nextGeneration(SigningAlgorithm algorithm) {
        return keys.stream().filter(k -> k.algorithm() == algorithm).mapToInt(SigningKey::generation).max().orElse(-1) + 1;
    }
}
