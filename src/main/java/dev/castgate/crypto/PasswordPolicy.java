package dev.castgate.crypto;

import java.util.Optional;

/** The rules a new password must meet, wherever it is set (NIST SP 800-63B §5.1.1: length, not composition). */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {}

    /** The reason the password is refused, or empty when it is acceptable. */
    public static Optional<String> problem(String password, String username, String email) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) return Optional.of("the password must be at least " + MIN_LENGTH + " characters long");
        if (length > MAX_LENGTH) return Optional.of("the password must be at most " + MAX_LENGTH + " characters long");
        if (password.equalsIgnoreCase(username) || password.equalsIgnoreCase(email)) {
            return Optional.of("the password must differ from the username and email");
        }
        return Optional.empty();
    }
}
