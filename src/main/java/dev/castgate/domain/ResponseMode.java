package dev.castgate.domain;

import java.util.List;
import java.util.Optional;

/**
 * How the authorization endpoint's answer travels back to the client (OAuth 2.0 Multiple Response
 * Type Encoding Practices §2.1): in the redirect URI's query, the default for every response type
 * here; as a form the browser posts to the redirect URI (OAuth 2.0 Form Post Response Mode), which
 * keeps codes and tokens out of URLs, histories and Referer headers; or either way as one signed
 * JWT, the {@code response} parameter (JWT Secured Authorization Response Mode, JARM), so the
 * client can tell the answer came from this server unchanged.
 */
public enum ResponseMode {
    QUERY("query", false, false), FORM_POST("form_post", true, false),
    QUERY_JWT("query.jwt", false, true), FORM_POST_JWT("form_post.jwt", true, true);

    /**
     * Every value a request may name: JARM §2.3.4's {@code jwt} is the response type's default
     * mode as a JWT, which for {@code code} is {@code query.jwt}; the fragment modes are not offered.
     */
    public static final List<String> WIRE_NAMES = List.of("query", "form_post", "query.jwt", "form_post.jwt", "jwt");

    private final String wireName;
    private final boolean posted;
    private final boolean signed;

    ResponseMode(String wireName, boolean posted, boolean signed) {
        this.wireName = wireName;
        this.posted = posted;
        this.signed = signed;
    }

    public String wireName() { return wireName; }

    /** The parameters go in a form the browser posts, not in the redirect's query. */
    public boolean posted() { return posted; }

    /** The parameters go as one signed JWT, the {@code response} parameter. */
    public boolean signed() { return signed; }

    public static Optional<ResponseMode> find(String raw) {
        if (raw.equals("jwt")) return Optional.of(QUERY_JWT);
        for (ResponseMode mode : values()) if (mode.wireName.equals(raw)) return Optional.of(mode);
        return Optional.empty();
    }
}
