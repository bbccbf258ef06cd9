package dev.castgate.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * How a client authenticates at the token endpoint, as a self-registered client declares it
 * (RFC 7591 §2): with no secret (a native client), or with its secret in the Basic header or in
 * the form. A web client may in fact use either of those two; the declared one is echoed. A web
 * client may instead be registered for a signed JWT (RFC 7523 §2.2): {@code private_key_jwt}, with
 * its public keys, or {@code client_secret_jwt}, an HMAC with its secret; it then uses that alone.
 */
public enum ClientAuthMethod {
    NONE, CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, CLIENT_SECRET_JWT;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ClientAuthMethod> find(String raw) {
        for (ClientAuthMethod m : values()) if (m.wireName().equals(raw)) return Optional.of(m);
        return Optional.empty();
    }

    public ClientType clientType() { return this == NONE ? ClientType.NATIVE : ClientType.WEB; }

    /** Whether the client proves itself with a signed JWT rather than by sending its secret. */
    public boolean jwt() { return this == PRIVATE_KEY_JWT || this == CLIENT_SECRET_JWT; }
}
