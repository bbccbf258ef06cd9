package dev.castgate.store;

import dev.castgate.domain.SigningKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Signing keys, shared by every node through the database. */
public interface SigningKeyStore {
    /** Every key's row without its key material, oldest first: what a node compares to notice a change, and what is listed. */
    List<SigningKey> list();

    /** A key's JWK, private part included; empty when it is retired or unknown. */
    Optional<String> findJwk(String kid);

    /**
     * Adds a key unless its algorithm has a key of that generation already (another node, or the
     * command line, rotated first): false then, and nothing changed.
     */
    boolean insert(SigningKey key, String jwkJson);

    /** Retires a key not retired yet and deletes its key material; false when it was retired already. */
    boolean retire(String kid, Instant at);

    /** Brings a key's activation forward to {@code at} when it is later; false when it was not. */
    boolean activateBy(String kid, Instant at);
}
