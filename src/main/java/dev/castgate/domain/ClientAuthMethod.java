package dev.castgate.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * How a client authenticates at the token endpoint, as a self-registered client declares it
 * (RFC 7591 §2): with no secret (a native client), or with its secret in the Basic header or in
 * the form. A web client may in fact use either of the last two; the declared one is echoed.
 */
public enum ClientAuthMethod {
    NONE, CLIENT_SECRET_BASIC, CLIENT_SECRET_POST;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ClientAuthMethod> find(String raw) {
        for (ClientAuthMethod m : values()) if (m.wireName().equals(raw)) return Optional.of(m);
        return Optional.empty();
    }

    public ClientType clientType() { return this == NONE ? ClientType.NATIVE : ClientType.WEB; }
}
