package dev.castgate.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The one builder of query strings and form bodies: {@code application/x-www-form-urlencoded}
 * pairs (RFC 6749 Appendix B), in the map's order.
 */
public final class QueryStrings {
    private QueryStrings() {}

    /** {@code a=1&b=2}; empty for no parameters. */
    public static String of(Map<String, String> params) {
        StringJoiner pairs = new StringJoiner("&");
        params.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        return pairs.toString();
    }

    /** The URI with the parameters added to its query (RFC 6749 §3.1.2 keeps a registered query). */
    public static String appendTo(String uri, Map<String, String> params) {
        if (params.isEmpty()) return uri;
        return uri + (uri.contains("?") ? "&" : "?") + of(params);
    }

    public static String encode(String value) { return URLEncoder.encode(value, StandardCharsets.UTF_8); }
}
