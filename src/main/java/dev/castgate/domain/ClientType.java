package dev.castgate.domain;

import java.util.Locale;

/** RFC 6749 §2.1 client types: web clients keep a secret, native clients cannot. */
public enum ClientType {
    WEB, NATIVE;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static ClientType parse(String raw) {
        for (ClientType t : values()) if (t.wireName().equals(raw)) return t;
        throw new IllegalArgumentException("client type must be web or native, not '" + raw + "'");
    }

    public boolean confidential() { return this == WEB; }
}
