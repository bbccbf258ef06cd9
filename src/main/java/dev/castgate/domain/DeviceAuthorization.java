package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One device authorization request (RFC 8628 §3.1), stored by the hashes of its device code and
 * user code. {@code userId}, {@code grantId} and {@code authTime} are set when the person approves.
 * {@code interval} is how long the device must wait between polls; it grows on {@code slow_down}.
 */
public record DeviceAuthorization(
        TokenHash hash,
        TokenHash userCodeHash,
        ClientId clientId,
        Scope scope,
        Optional<String> deviceName,
        Status status,
        Optional<UserId> userId,
        Optional<GrantId> grantId,
        Optional<Instant> authTime,
        int intervalSeconds,
        Optional<Instant> lastPolledAt,
        Instant createdAt,
        Instant expiresAt) {

    /** Where the request stands: waiting for the person, decided, or exchanged for tokens. */
    public enum Status {
        PENDING, APPROVED, DENIED, ISSUED;

        public String column() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Status ofColumn(String value) { return valueOf(value.toUpperCase(java.util.Locale.ROOT)); }
    }

    public boolean expired(Instant now) { return !expiresAt.isAfter(now); }
}
