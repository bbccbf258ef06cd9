package dev.castgate.authorize;

import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * Redirect URI matching: exact string comparison (RFC 9700 §4.1.3), except that a native
 * client's loopback redirect may use any port (RFC 8252 §7.3), since the app picks a free one,
 * and that a client registered for the original service's prefix matching may extend a
 * registered URI (see {@link #prefixMatch}).
 */
public final class RedirectUriMatcher {
    private RedirectUriMatcher() {}

    /** The requested URI if the client registered it, else empty. */
    public static Optional<String> match(Client client, String requested) {
        for (String registered : client.redirectUris()) {
            if (registered.equals(requested)) return Optional.of(requested);
        }
        if (client.type() == ClientType.NATIVE) {
            for (String registered : client.redirectUris()) {
                if (loopbackMatch(registered, requested)) return Optional.of(requested);
            }
        }
        if (client.legacy().prefixRedirectMatch()) {
            for (String registered : client.redirectUris()) {
                if (prefixMatch(registered, requested)) return Optional.of(requested);
            }
        }
        return Optional.empty();
    }

    /**
     * The original service's rule, for clients registered for it: "the prefix of this URI must be
     * registered". Kept as safe as a prefix can be: same scheme and authority (so
     * https://app.example cannot stretch to https://app.example.evil), no user info, no fragment,
     * and no dot segments or encoded dots, which could climb out of the registered path.
     */
    static boolean prefixMatch(String registered, String requested) {
        if (!requested.startsWith(registered)) return false;
        try {
            URI a = new URI(registered);
            URI b = new URI(requested);
            if (a.getScheme() == null || !a.getScheme().equalsIgnoreCase(b.getScheme())) return false;
            if (!Objects.equals(a.getRawAuthority(), b.getRawAuthority()) || b.getRawAuthority() == null) return false;
            if (b.getRawUserInfo() != null || b.getRawFragment() != null) return false;
            String path = b.getRawPath() == null ? "" : b.getRawPath();
            if (path.toLowerCase(java.util.Locale.ROOT).contains("%2e") || path.contains("\\")) return false;
            for (String segment : path.split("/", -1)) {
                if (segment.equals("..") || segment.equals(".")) return false;
            }
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static boolean loopbackMatch(String registered, String requested) {
        try {
            URI a = new URI(registered);
            URI b = new URI(requested);
            return "http".equals(a.getScheme()) && "http".equals(b.getScheme())
                    && isLoopbackAddress(a.getHost()) && Objects.equals(a.getHost(), b.getHost())
                    && Objects.equals(a.getRawPath(), b.getRawPath())
                    && Objects.equals(a.getRawQuery(), b.getRawQuery())
                    && b.getRawFragment() == null && b.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** RFC 8252 §8.3: loopback IP literals, not the name localhost, which may resolve elsewhere. */
    static boolean isLoopbackAddress(String host) {
        return "127.0.0.1".equals(host) || "[::1]".equals(host);
    }
}
