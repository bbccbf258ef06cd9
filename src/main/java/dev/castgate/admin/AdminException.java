package dev.castgate.admin;

import java.util.Optional;

/**
 * An administrative request that cannot be carried out, with a message for the operator and,
 * where a person can hit it on a page, the key of the same reason in the page texts.
 */
public class AdminException extends RuntimeException {
    private final String key;

    public AdminException(String message) { this(null, message); }

    public AdminException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The message key for pages; empty for reasons only the operator's tools meet. */
    public Optional<String> key() { return Optional.ofNullable(key); }

    /** What the request names does not exist (no such client, account or key): the admin API answers 404. */
    public static final class NotFound extends AdminException {
        public NotFound(String message) { super(message); }
    }
}
