package dev.castgate.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A link mailed to a person: it proves that whoever follows it reads mail at {@code email}. Stored
 * by the hash of its token; {@code id} is what the token is derived from when the mail is sent.
 * {@code returnTo} is where the person was when they asked (a path of this server with its query).
 */
public record EmailLink(
        String id,
        TokenHash tokenHash,
        UserId userId,
        Purpose purpose,
        String email,
        Optional<String> returnTo,
        Instant createdAt,
        Instant expiresAt,
        Optional<Instant> consumedAt) {

    /** What following the link does: confirms the address it was sent to, or lets the person set a new password. */
    public enum Purpose {
        VERIFY, RESET;

        public String column() { return name().toLowerCase(Locale.ROOT); }

        public static Purpose ofColumn(String value) { return valueOf(value.toUpperCase(Locale.ROOT)); }
    }

    public boolean expired(Instant now) { return !expiresAt.isAfter(now); }
}
