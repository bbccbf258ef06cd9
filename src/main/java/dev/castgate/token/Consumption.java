package dev.castgate.token;

import dev.castgate.error.OAuthException;
import dev.castgate.store.Stores;
import java.time.Instant;

/**
 * What a token request uses up — an authorization code, a refresh token, a device code — decided
 * inside the group-commit transaction that stores the tokens, with the one-statement checks of
 * DESIGN.md rule 7, so using it up and storing what it buys commit together. What it changes
 * commits even when it refuses (a replayed code revokes its grant); that is why a refusal is a
 * value, not an exception.
 */
@FunctionalInterface
public interface Consumption {
    /** Grants that use nothing up: client credentials, password, implicit. */
    Consumption NOTHING = (tx, now) -> new Consumed.Proceed();

    Consumed consume(Stores tx, Instant now);

    /** What consuming found. */
    sealed interface Consumed {
        /** Used up now: store every token. */
        record Proceed() implements Consumed {}
        /** A retry within the refresh grace window: the first request stored the successor; store the new access token only. */
        record Retried() implements Consumed {}
        /** Nothing is issued; the client is answered with {@code error}. */
        record Refused(OAuthException error) implements Consumed {}
    }
}
