package dev.castgate.store;

import dev.castgate.domain.RegistrationToken;
import dev.castgate.domain.TokenHash;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Initial access tokens for dynamic client registration (RFC 7591 §3). */
public interface RegistrationTokenStore {
    void insert(RegistrationToken token);

    Optional<RegistrationToken> find(TokenHash hash);

    /** Every token, expired and used-up ones too, oldest first. */
    List<RegistrationToken> list();

    /**
     * Takes one use of the token in one atomic statement, if it is unexpired at {@code now} and has
     * a use left; false otherwise (so of two registrations racing for its last use, one gets it).
     */
    boolean consume(TokenHash hash, Instant now);

    /** Deletes the token; false if there is none with that id. */
    boolean delete(String id);
}
