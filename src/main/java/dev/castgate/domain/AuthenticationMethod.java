package dev.castgate.domain;

import java.util.Optional;

/** A way a person proved who they are at a sign-in, named by its RFC 8176 §2 {@code amr} value. */
public enum AuthenticationMethod {
    /** The account's password. */
    PASSWORD("pwd"),
    /** A one-time password: a TOTP code (RFC 6238) or one of the account's recovery codes. */
    ONE_TIME_PASSWORD("otp"),
    /** A proof of possession of a key held by an authenticator: a passkey's signature (WebAuthn). */
    HARDWARE_KEY("hwk"),
    /**
     * The authenticator verified the person (a PIN, a fingerprint, a face) before it signed: with
     * the key, a second factor of its own (WebAuthn §6.2.3, user verification).
     */
    USER_VERIFIED("user");

    private final String wireName;

    AuthenticationMethod(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static Optional<AuthenticationMethod> find(String wireName) {
        for (AuthenticationMethod method : values()) if (method.wireName.equals(wireName)) return Optional.of(method);
        return Optional.empty();
    }
}
