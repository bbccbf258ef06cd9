package dev.castgate.domain;

import java.util.Optional;

/**
 * How the authorization endpoint's answer travels back to the client (OAuth 2.0 Multiple Response
 * Type Encoding Practices §2.1): in the redirect URI's query, the default for every response type
 * here; or as a form the browser posts to the redirect URI (OAuth 2.0 Form Post Response Mode),
 * which keeps codes and tokens out of URLs, histories and Referer headers.
 */
public enum ResponseMode {
    QUERY("query"), FORM_POST("form_post");

    private final String wireName;

    ResponseMode(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static Optional<ResponseMode> find(String raw) {
        for (ResponseMode mode : values()) if (mode.wireName.equals(raw)) return Optional.of(mode);
        return Optional.empty();
    }
}
