package dev.castgate.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a person proved who they are at a sign-in: the methods used, stored as their
 * space-separated {@code amr} values, and the level they reach.
 */
public record Authentication(Set<AuthenticationMethod> methods) {
    /** A password alone. */
    public static final Authentication PASSWORD = new Authentication(EnumSet.of(AuthenticationMethod.PASSWORD));

    public Authentication {
        if (methods.isEmpty()) throw new IllegalArgumentException("a sign-in uses at least one method");
        methods = Set.copyOf(EnumSet.copyOf(methods));
    }

    /** The same sign-in with one more method, as after a second step. */
    public Authentication with(AuthenticationMethod method) {
        EnumSet<AuthenticationMethod> more = EnumSet.copyOf(methods);
        more.add(method);
        return new Authentication(more);
    }

    /** A passkey's sign-in on its own, with or without the authenticator's verification of the person. */
    public static Authentication passkey(boolean userVerified) {
        return userVerified ? new Authentication(EnumSet.of(AuthenticationMethod.HARDWARE_KEY, AuthenticationMethod.USER_VERIFIED))
                : new Authentication(EnumSet.of(AuthenticationMethod.HARDWARE_KEY));
    }

    /**
     * Whether the sign-in used two factors: something the person has (a code of their
     * authenticator app, a passkey's key) and something they know or are (their password, or the
     * PIN or fingerprint the authenticator verified).
     */
    public boolean secondFactor() {
        boolean possession = methods.contains(AuthenticationMethod.ONE_TIME_PASSWORD) || methods.contains(AuthenticationMethod.HARDWARE_KEY);
        boolean knowledge = methods.contains(AuthenticationMethod.PASSWORD) || methods.contains(AuthenticationMethod.USER_VERIFIED);
        return possession && knowledge;
    }

    /** The same sign-in with the methods of {@code step}, a second step taken after it. */
    public Authentication with(Authentication step) {
        EnumSet<AuthenticationMethod> more = EnumSet.copyOf(methods);
        more.addAll(step.methods());
        return new Authentication(more);
    }

    public AuthenticationLevel level() { return secondFactor() ? AuthenticationLevel.SECOND_FACTOR : AuthenticationLevel.PASSWORD; }

    /**
     * The ID token's {@code amr} (OIDC Core §2, RFC 8176 §2): the methods, and {@code mfa} when
     * they are more than one factor, for clients that look only for that. A passkey without the
     * authenticator's verification after a password is {@code pwd hwk mfa}; a passkey that
     * verified the person is {@code hwk user mfa}.
     */
    public List<String> amr() {
        List<String> amr = new ArrayList<>(stored());
        if (secondFactor()) amr.add("mfa");
        return amr;
    }

    /** As stored: the methods' values in a fixed order, separated by spaces. */
    public String wireValue() { return String.join(" ", stored()); }

    private List<String> stored() {
        return EnumSet.copyOf(methods).stream().map(AuthenticationMethod::wireName).toList();
    }

    /** A stored value back; an unknown method means the row was written by a newer version, which is refused. */
    public static Authentication parse(String stored) {
        Set<AuthenticationMethod> methods = EnumSet.noneOf(AuthenticationMethod.class);
        for (String value : stored.split(" ")) {
            methods.add(AuthenticationMethod.find(value)
                    .orElseThrow(() -> new IllegalArgumentException("unknown authentication method " + value)));
        }
        return new Authentication(methods);
    }

    @Override
    public String toString() { return wireValue(); }
}
