package dev.castgate.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rule for a URL a client registers for Castgate itself to call (its jwks_uri, its
 * back-channel logout URI): absolute, without a fragment, https; plain http only for a loopback
 * host (a server on the same machine, as in tests), where no one between could read or change
 * what passes.
 */
public final class OutboundUri {
    private OutboundUri() {}

    /** Why {@code raw} cannot be the client's {@code name}, if it cannot. */
    public static Optional<String> problem(String raw, String name, int maxLength) {
        if (raw.length() > maxLength) return Optional.of("the " + name + " must be at most " + maxLength + " characters");
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.of("the " + name + " is not a valid URI");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) return Optional.of("the " + name + " must be an absolute URL");
        if (uri.getRawFragment() != null) return Optional.of("the " + name + " must not have a fragment");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return Optional.empty();
        String host = uri.getHost();
        if (scheme.equals("http") && ("localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host))) return Optional.empty();
        return Optional.of("the " + name + " must use https (http only for localhost and loopback addresses)");
    }
}
