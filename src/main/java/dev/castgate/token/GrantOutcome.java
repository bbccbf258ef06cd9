package dev.castgate.token;

import dev.castgate.error.OAuthException;

/**
 * The result of a grant's transaction. A failure is returned, not thrown, so that what the
 * transaction did before it (a consumed code, a revoked grant) commits; it is thrown afterwards.
 */
sealed interface GrantOutcome {
    record Issued(TokenResponse response) implements GrantOutcome {}

    record Failed(OAuthException error) implements GrantOutcome {}

    default TokenResponse responseOrThrow() {
        return switch (this) {
            case Issued issued -> issued.response();
            case Failed failed -> throw failed.error();
        };
    }
}
