package dev.castgate.store;

import dev.castgate.domain.GrantId;
import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.TokenHash;
import java.time.Instant;
import java.util.Optional;

/** Authorization codes, stored by hash and consumed once. */
public interface AuthorizationCodeStore {
    void insert(AuthorizationCode code, Instant createdAt);

    /** The code whatever its state, for checks that come before consuming it. */
    Optional<AuthorizationCode> find(TokenHash hash);

    /** One atomic statement marks the code used (DESIGN.md, rule 7). */
    CodeConsumption consume(TokenHash hash, Instant now);

    /** What consuming a code found. */
    sealed interface CodeConsumption {
        record Consumed() implements CodeConsumption {}
        /** Used before: RFC 6749 §4.1.2 says revoke what the first use issued. */
        record Replayed(GrantId grantId) implements CodeConsumption {}
        record Expired() implements CodeConsumption {}
    }
}
