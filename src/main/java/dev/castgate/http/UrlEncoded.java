package dev.castgate.http;

import dev.castgate.error.OAuthException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of {@code application/x-www-form-urlencoded} pairs, for bodies and query
 * strings. The libraries' readers drop a pair whose percent-escape is malformed, so a client's
 * bug or a crafted link could lose {@code scope} or {@code prompt} without a word; here it makes
 * the whole request malformed (400 {@code invalid_request}). Values are UTF-8 (RFC 6749
 * Appendix B); bytes that are not UTF-8 become U+FFFD, as the libraries' readers make them, and
 * are refused by the parsers of the values that must be well-formed.
 */
final class UrlEncoded {
    static final String MALFORMED = "the request has a malformed percent-escape (% must be followed by two hexadecimal digits)";

    private UrlEncoded() {}

    /** Every pair in order; a name without {@code =} has the empty value; empty pairs ({@code a=1&&b=2}) are skipped. */
    static Map<String, List<String>> decode(byte[] raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int start = 0;
        while (start < raw.length) {
            int end = indexOf(raw, '&', start, raw.length);
            if (end > start) {
                int equals = indexOf(raw, '=', start, end);
                String name = unescape(raw, start, Math.min(equals, end));
                String value = equals < end ? unescape(raw, equals + 1, end) : "";
                values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return values;
    }

    /** The index of {@code b} in {@code raw[from, to)}, or {@code to}. */
    private static int indexOf(byte[] raw, char b, int from, int to) {
        for (int i = from; i < to; i++) if (raw[i] == b) return i;
        return to;
    }

    private static String unescape(byte[] raw, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = raw[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                int high = i + 2 < to ? Character.digit(raw[i + 1], 16) : -1;
                int low = high >= 0 ? Character.digit(raw[i + 2], 16) : -1;
                if (low < 0) throw OAuthException.invalidRequest(MALFORMED);
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
