package dev.castgate.crypto;

import java.util.Optional;

/** The rules a new password must meet, wherever it is set (NIST SP 800-63B §5.1.1: length, not composition). */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 1024;

    /** Why a password is refused: a message key for pages, and the text the command-line tool prints. */
    public enum Problem {
        TOO_SHORT("password.too_short", "the password must be at least " + MIN_LENGTH + " characters long"),
        TOO_LONG("password.too_long", "the password must be at most " + MAX_LENGTH + " characters long"),
        SAME_AS_NAME("password.same_as_name", "the password must differ from the username and email");

        private final String key;
        private final String english;

        Problem(String key, String english) {
            this.key = key;
            this.english = english;
        }

        public String key() { return key; }

        public String english() { return english; }
    }

    private PasswordPolicy() {}

    /** The reason the password is refused, or empty when it is acceptable. */
    public static Optional<Problem> check(String password, String username, String email) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) return Optional.of(Problem.TOO_SHORT);
        if (length > MAX_LENGTH) return Optional.of(Problem.TOO_LONG);
        if (password.equalsIgnoreCase(username) || password.equalsIgnoreCase(email)) return Optional.of(Problem.SAME_AS_NAME);
        return Optional.empty();
    }

    /** The reason in English, for the command-line tool. */
    public static Optional<String> problem(String password, String username, String email) {
        return check(password, username, email).map(Problem::english);
    }
}
