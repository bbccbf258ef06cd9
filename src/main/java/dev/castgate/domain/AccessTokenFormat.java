package dev.castgate.domain;

import java.util.Locale;

/** How access tokens look: opaque 40-hex strings (the original's), or signed JWTs (RFC 9068). */
public enum AccessTokenFormat {
    OPAQUE, JWT;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static AccessTokenFormat parse(String raw) {
        for (AccessTokenFormat f : values()) if (f.wireName().equals(raw)) return f;
        throw new IllegalArgumentException("access token format must be opaque or jwt, not '" + raw + "'");
    }
}
