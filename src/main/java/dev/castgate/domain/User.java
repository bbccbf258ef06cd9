package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * An account. The id is the stable OIDC subject; the password hash is an Argon2id PHC string.
 * {@code disabledAt} is set while an operator has disabled the account: it cannot sign in, and
 * its sessions and tokens are refused. {@code updatedAt} is when its profile (username, name,
 * email or its verification) last changed, for the OIDC {@code updated_at} claim.
 */
public record User(
        UserId id,
        String username,
        String email,
        boolean emailVerified,
        Optional<String> name,
        String passwordHash,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> disabledAt) {
    /** The longest username or email accepted anywhere: RFC 5321's 64-character local part, {@code @} and 255 for the domain. */
    public static final int MAX_LOGIN_LENGTH = 320;

    public boolean disabled() { return disabledAt.isPresent(); }
}
