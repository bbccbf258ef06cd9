package dev.castgate.error;

import java.util.Locale;

/**
 * Which HTTP statuses OAuth errors carry: {@code standard} follows RFC 6749 and RFC 6750;
 * {@code ibm} is the original service's, for clients written against it (invalid_client 400
 * without WWW-Authenticate, unsupported_grant_type 501, server_error 503).
 */
public enum ErrorMode {
    STANDARD, IBM;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static ErrorMode parse(String raw) {
        for (ErrorMode mode : values()) if (mode.wireName().equals(raw.trim().toLowerCase(Locale.ROOT))) return mode;
        throw new IllegalArgumentException("must be standard or ibm, not '" + raw + "'");
    }
}
