package dev.castgate.store;

import dev.castgate.domain.AccessToken;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.RefreshToken;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where issued tokens are stored: through one group-commit writer per node. Each call is one
 * unit of a batch that the writer runs in one transaction with the units of every request
 * waiting at that moment, committed once; the call returns only after that commit, so no token
 * is answered before its row is durable.
 *
 * <p>A unit has two parts. {@code consume} runs first, inside the batch's transaction, in the
 * order the units arrived: it uses up what the request presented (a code, a refresh token, a
 * device code) with its one-statement checks, and its effects commit even when it decides that
 * nothing is issued (a replayed code revokes its grant). {@code rowsFor} then says, from what
 * {@code consume} found, which rows to store. Everything else — minting, signing, hashing, JSON —
 * happens before the call, outside any transaction.
 */
public interface IssuanceWriter {
    <T> Written<T> write(Function<Stores, T> consume, Function<T, Rows> rowsFor);

    /** The rows of one issuance, all stamped {@code at}. */
    record Rows(Optional<Grant> newGrant, Optional<GrantId> usedGrantId, Optional<AccessToken> accessToken,
                Optional<RefreshToken> refreshToken, Instant at) {
        public static final Rows NONE = new Rows(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH);

        public boolean isEmpty() {
            return newGrant.isEmpty() && usedGrantId.isEmpty() && accessToken.isEmpty() && refreshToken.isEmpty();
        }
    }

    /**
     * What the unit did: what {@code consume} returned, and whether every token row was stored.
     * A token is stored only while its grant is live, so {@code stored} is false when the grant
     * was revoked meanwhile, or when a new grant's client was removed (then no grant was stored).
     */
    record Written<T>(T consumed, boolean stored) {}
}
