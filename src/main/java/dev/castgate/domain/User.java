package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/** An account. The id is the stable OIDC subject; the password hash is an Argon2id PHC string. */
public record User(
        UserId id,
        String username,
        String email,
        boolean emailVerified,
        Optional<String> name,
        String passwordHash,
        Instant createdAt) {
    /** The longest username or email accepted anywhere: RFC 5321's 64-character local part, {@code @} and 255 for the domain. */
    public static final int MAX_LOGIN_LENGTH = 320;
}
