package dev.castgate.http;

import dev.castgate.error.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578), as some of the original service's clients send
 * token requests, read from memory. Javalin's reader handed it to the servlet container, which
 * spooled parts to the temporary folder with no limit, before any authentication (security review
 * finding 1). This one is given a body already held to {@link Form#MAX_BODY_BYTES} and never
 * writes anything. No Castgate form takes a file, so a part with a file name is refused.
 */
final class MultipartForm {
    private MultipartForm() {}

    static Map<String, List<String>> decode(String contentType, byte[] body) {
        String boundary = parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) throw unreadable(); // RFC 2046 §5.1.1
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, List<String>> values = new LinkedHashMap<>();
        // A preamble before the first delimiter is allowed, and ignored (RFC 2046 §5.1.1).
        int at = find(body, delimiter, 0);
        if (at < 0 || (at > 0 && body[at - 1] != '\n')) throw unreadable();
        while (true) {
            int after = at + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') return values; // the close delimiter
            int start = lineEnd(body, after);
            int next = find(body, delimiter, start);
            while (next >= 0 && body[next - 1] != '\n') next = find(body, delimiter, next + 1);
            if (next < 0) throw unreadable(); // no close delimiter
            int end = next - 1 > start && body[next - 2] == '\r' ? next - 2 : next - 1; // the line break belongs to the delimiter
            part(body, start, end, values);
            at = next;
        }
    }

    /** One part: its header lines up to an empty line, then its content. */
    private static void part(byte[] body, int start, int end, Map<String, List<String>> values) {
        Optional<String> disposition = Optional.empty();
        int line = start;
        while (true) {
            int lf = find(body, new byte[] {'\n'}, line);
            if (lf < 0 || lf >= end) throw unreadable(); // the headers never ended
            int lineStop = lf > line && body[lf - 1] == '\r' ? lf - 1 : lf;
            if (lineStop == line) {
                line = lf + 1;
                break;
            }
            String header = new String(body, line, lineStop - line, StandardCharsets.UTF_8);
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                disposition = Optional.of(header.substring(colon + 1).trim());
            }
            line = lf + 1;
        }
        Map<String, String> params = parameters(disposition.orElseThrow(MultipartForm::unreadable));
        if (!disposition.get().toLowerCase(Locale.ROOT).startsWith("form-data")) throw unreadable();
        if (params.containsKey("filename") || params.containsKey("filename*")) {
            throw OAuthException.invalidRequest("file parts are not accepted");
        }
        String name = params.get("name");
        if (name == null) throw unreadable();
        values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(new String(body, line, Math.max(0, end - line), StandardCharsets.UTF_8));
    }

    /** The position after the line break that ends a delimiter line (transport padding allowed before it). */
    private static int lineEnd(byte[] body, int from) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t')) i++;
        if (i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n') return i + 2;
        if (i < body.length && body[i] == '\n') return i + 1;
        throw unreadable();
    }

    /** The {@code ; key=value} parameters of a header value, keys in lower case, quoted values unquoted. */
    static Map<String, String> parameters(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            int equals = header.indexOf('=', i);
            if (equals < 0) break;
            String key = header.substring(i + 1, equals).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            while (j < header.length() && header.charAt(j) == ' ') j++;
            if (j < header.length() && header.charAt(j) == '"') {
                for (j++; j < header.length() && header.charAt(j) != '"'; j++) {
                    if (header.charAt(j) == '\\' && j + 1 < header.length()) j++;
                    value.append(header.charAt(j));
                }
                if (j >= header.length()) throw unreadable(); // an unclosed quote
                j = header.indexOf(';', j);
            } else {
                int semicolon = header.indexOf(';', j);
                value.append(header, j, semicolon < 0 ? header.length() : semicolon);
                j = semicolon;
            }
            params.putIfAbsent(key, value.toString().trim());
            i = j;
        }
        return params;
    }

    private static int find(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) if (haystack[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    private static OAuthException unreadable() {
        return OAuthException.invalidRequest("the request body could not be parsed");
    }
}
