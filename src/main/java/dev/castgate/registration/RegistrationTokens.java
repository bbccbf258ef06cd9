package dev.castgate.registration;

import dev.castgate.admin.AdminException;
import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.RegistrationToken;
import dev.castgate.domain.TokenHash;
import dev.castgate.store.AuditStore;
import dev.castgate.store.RegistrationTokenStore;
import dev.castgate.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Initial access tokens (RFC 7591 §3): the one place they are made, listed, revoked, checked and
 * used, for the command line and any other operator's tool alike. A token is 160 random bits,
 * shown once and stored as its SHA-256; its id names it afterwards. Making and revoking one are
 * audited: each opens the server to clients nobody reviewed, or closes it again.
 */
public final class RegistrationTokens {
    /** How long a token lives unless the operator says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** A new token and the secret that is shown this once. */
    public record Created(RegistrationToken token, String secret) {}

    private final RegistrationTokenStore store;
    private final AuditStore auditStore;
    private final AuditTrail audit;
    private final RandomTokens random;
    private final Clock clock;

    public RegistrationTokens(Stores stores, RandomTokens random, Clock clock) {
        this.store = stores.registrationTokens();
        this.auditStore = stores.audit();
        this.audit = new AuditTrail(random, clock);
        this.random = random;
        this.clock = clock;
    }

    /** A token that lives {@code ttl} and allows {@code uses} registrations (empty: any number until it expires). */
    public Created create(Duration ttl, Optional<Integer> uses) {
        if (ttl.isNegative() || ttl.isZero()) throw new AdminException("the lifetime must be positive");
        uses.filter(n -> n < 1).ifPresent(n -> { throw new AdminException("the number of uses must be at least 1"); });
        String secret = random.hex40();
        Instant now = clock.instant();
        RegistrationToken token = new RegistrationToken(random.hex40().substring(0, 16), Hashes.tokenHash(secret), now, now.plus(ttl), uses);
        store.insert(token);
        auditStore.record(audit.success(AuditEvent.Type.REGISTRATION_TOKEN_CREATED).detail("initial access token " + token.id()
                + ", expires " + token.expiresAt() + ", " + uses.map(n -> n + (n == 1 ? " use" : " uses")).orElse("any number of uses")));
        return new Created(token, secret);
    }

    /** Every token, expired and used-up ones too, oldest first. */
    public List<RegistrationToken> list() { return store.list(); }

    /** Ends a token at once; false if there is none with that id. */
    public boolean revoke(String id) {
        if (!store.delete(id)) return false;
        auditStore.record(audit.success(AuditEvent.Type.REGISTRATION_TOKEN_REVOKED).detail("initial access token " + id));
        return true;
    }

    /** The presented token's hash if it may be used now: unexpired, with a use left, not revoked. */
    public Optional<TokenHash> findUsable(String presented) {
        TokenHash hash = Hashes.tokenHash(presented);
        return store.find(hash).filter(token -> token.usableAt(clock.instant())).map(RegistrationToken::hash);
    }

    /**
     * Takes one use of the token in {@code tx}, the registration's transaction, so that a
     * registration that fails gives its use back; false when the last use, or the time, ran out
     * since {@link #findUsable}.
     */
    public boolean consume(RegistrationTokenStore tx, TokenHash hash) { return tx.consume(hash, clock.instant()); }

    /** Whether the token can still be used, for listings. */
    public String state(RegistrationToken token) {
        Instant now = clock.instant();
        if (!now.isBefore(token.expiresAt())) return "expired";
        return token.usableAt(now) ? "active" : "used up";
    }
}
