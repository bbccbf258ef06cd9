package dev.castgate.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the forwarded chain out of {@code X-Forwarded-For} and {@code Forwarded} (RFC 7239), left
 * to right as the proxies appended it. Empty means the header cannot be read; no exception,
 * since whoever sent the request wrote part of it.
 */
final class Forwarding {
    private Forwarding() {}

    /** The entries of {@code X-Forwarded-For}, its lines joined in order; an empty entry makes it unreadable. */
    static Optional<List<String>> xForwardedFor(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String entry : String.join(",", lines).split(",", -1)) {
            String hop = entry.strip();
            if (hop.isEmpty()) return Optional.empty();
            hops.add(hop);
        }
        return Optional.of(hops);
    }

    /**
     * The {@code for=} node of every element of {@code Forwarded} (RFC 7239 §4), unquoted. An element
     * without exactly one {@code for}, a parameter without {@code =}, or an unclosed quote makes the
     * header unreadable.
     */
    static Optional<List<String>> forValues(List<String> lines) {
        List<String> hops = new ArrayList<>();
        if (lines.isEmpty()) return Optional.of(hops);
        List<String> elements = split(String.join(",", lines), ',');
        if (elements == null) return Optional.empty();
        for (String element : elements) {
            String node = null;
            for (String pair : split(element, ';')) {
                String p = pair.strip();
                if (p.isEmpty()) continue;
                int equals = p.indexOf('=');
                if (equals <= 0) return Optional.empty();
                if (!p.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) continue;
                if (node != null) return Optional.empty(); // RFC 7239 §4: a parameter at most once per element
                node = unquote(p.substring(equals + 1).strip());
                if (node == null) return Optional.empty();
            }
            if (node == null) return Optional.empty();
            hops.add(node);
        }
        return Optional.of(hops);
    }

    /**
     * The address of a node: IPv4, optionally with {@code :port}; IPv6 in brackets, optionally with
     * {@code :port}, or bare. Empty for {@code unknown}, obfuscated names (RFC 7239 §6.3) and anything else.
     */
    static Optional<InetAddress> node(String text) {
        String node = text.strip();
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0 || !port(node.substring(close + 1))) return Optional.empty();
            String inside = node.substring(1, close);
            return inside.contains(":") ? AddressRange.address(inside) : Optional.empty(); // brackets hold IPv6 only
        }
        int colon = node.indexOf(':');
        if (colon >= 0 && node.indexOf(':', colon + 1) < 0) {
            // One colon: an IPv4 address with a port (an IPv6 address has at least two).
            return port(node.substring(colon)) ? AddressRange.address(node.substring(0, colon)) : Optional.empty();
        }
        return AddressRange.address(node);
    }

    /** Nothing, or a colon and a port: digits, or an obfuscated one (RFC 7239 §6.3, {@code _} first). */
    private static boolean port(String rest) {
        return rest.isEmpty() || rest.matches(":([0-9]{1,5}|_[A-Za-z0-9._-]+)");
    }

    /** Splits at {@code separator} outside double quotes; null when a quote is not closed. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') quoted = !quoted;
            if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (quoted) return null;
        parts.add(part.toString());
        return parts;
    }

    /** A token as it is, a quoted string without its quotes and escapes; null when a quote is out of place. */
    private static String unquote(String value) {
        if (!value.startsWith("\"")) return value.contains("\"") || value.isEmpty() ? null : value;
        if (value.length() < 2 || !value.endsWith("\"")) return null;
        StringBuilder plain = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) c = value.charAt(++i);
            else if (c == '"' || c == '\\') return null;
            plain.append(c);
        }
        return plain.toString();
    }
}
