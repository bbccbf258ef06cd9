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
     * registered", compared by path segments rather than characters. Scheme, host and port are the
     * registered ones exactly (so https://app.example cannot stretch to https://app.example.evil);
     * the registered path is a whole-segment prefix of the requested one (so /cb never admits the
     * sibling /cbx); the query may extend the registered one. Refused: user info, a fragment, and
     * anything in the path that a server or framework behind the redirect might read as another
     * path: dot segments, empty segments, {@code ;} path parameters (Tomcat reads {@code ..;} as
     * {@code ..}), backslashes, and percent-escapes of dots, slashes, backslashes, semicolons, the
     * percent sign itself (a second decoding would produce them) or control characters.
     */
    static boolean prefixMatch(String registered, String requested) {
        try {
            URI a = new URI(registered);
            URI b = new URI(requested);
            if (a.getScheme() == null || !a.getScheme().equals(b.getScheme()) || a.isOpaque() || b.isOpaque()) return false;
            if (b.getRawAuthority() == null || !b.getRawAuthority().equals(a.getRawAuthority())) return false;
            if (b.getRawUserInfo() != null || b.getRawFragment() != null || a.getRawFragment() != null) return false;
            String registeredPath = a.getRawPath().isEmpty() ? "/" : a.getRawPath();
            String path = b.getRawPath().isEmpty() ? "/" : b.getRawPath();
            if (!pathIsPlain(path) || !segmentPrefix(registeredPath, path)) return false;
            return queryExtends(a.getRawQuery(), b.getRawQuery(), registeredPath.equals(path));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether the registered path is the requested one or a run of its leading whole segments. */
    private static boolean segmentPrefix(String registeredPath, String path) {
        if (path.equals(registeredPath)) return true;
        String directory = registeredPath.endsWith("/") ? registeredPath : registeredPath + "/";
        return path.startsWith(directory);
    }

    /**
     * A registered URI without a query takes any query; one with a query is extended only on the
     * same path, by more parameters after its own.
     */
    private static boolean queryExtends(String registeredQuery, String query, boolean samePath) {
        if (registeredQuery == null) return true;
        if (!samePath || query == null) return false;
        return query.equals(registeredQuery) || query.startsWith(registeredQuery + "&");
    }

    /** No segment that could be read as another path, raw or after one or two decodings. */
    private static boolean pathIsPlain(String path) {
        if (path.indexOf(';') >= 0 || path.indexOf('\\') >= 0) return false;
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            // Only the last segment may be empty: a trailing slash, never a "//" inside.
            if (segment.isEmpty() && i < segments.length - 1) return false;
            if (segment.equals(".") || segment.equals("..")) return false;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length()) return false;
            int decoded = Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16);
            if (decoded < 0x20 || decoded == 0x7f || "./\\;%".indexOf(decoded) >= 0) return false;
        }
        return true;
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
