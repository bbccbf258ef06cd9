package dev.castgate.error;

/**
 * RFC 6749 §4.1.2.1 and §5.2: an {@code error_description} holds only %x20-21 / %x23-5B / %x5D-7E.
 * Descriptions may name a value the client sent, so anything outside that set is replaced, in
 * JSON bodies, {@code WWW-Authenticate} headers and redirects alike.
 */
public final class ErrorDescription {
    private ErrorDescription() {}

    public static String safe(String description) {
        StringBuilder out = new StringBuilder(description.length());
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            out.append(c == '"' ? '\'' : c < 0x20 || c > 0x7E || c == '\\' ? '?' : c);
        }
        return out.toString();
    }
}
