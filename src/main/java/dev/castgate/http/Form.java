package dev.castgate.http;

import dev.castgate.error.OAuthException;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one request, checked at the edge: the body's content type and size, escapes
 * that decode, no parameter given twice (RFC 6749 §3.1, §3.2), and text that can be kept (a
 * {@link TextRule}). Parameters sent without a value count as absent (§3.1).
 */
public final class Form {
    /**
     * The most a request body may hold, form-urlencoded or multipart: Castgate's forms are small,
     * and a body is read before anyone is authenticated. The server gives Javalin the same limit.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** How much of an oversize body is read and dropped so that the refusal reaches its client. */
    private static final long DISCARDED_BYTES = 1024 * 1024;

    private final Map<String, List<String>> values;

    private Form(Map<String, List<String>> values) { this.values = values; }

    /**
     * A POST body: form-urlencoded, or multipart/form-data as the original's clients send it. The
     * query is not read, but a malformed escape in it is refused as one in the body is.
     */
    public static Form parse(Context ctx) {
        String type = contentType(ctx);
        boolean multipart = type.startsWith("multipart/form-data");
        if (!type.startsWith("application/x-www-form-urlencoded") && !multipart) {
            throw OAuthException.invalidRequest("the request body must be application/x-www-form-urlencoded");
        }
        query(ctx); // read only for its escapes
        byte[] body = body(ctx);
        return new Form(multipart ? MultipartForm.decode(ctx.header("Content-Type"), body) : UrlEncoded.decode(body));
    }

    /**
     * The request's Content-Type as sent, in lower case, or empty. Read from the header itself:
     * the server's own reading looks the charset up and throws on a name that is not one
     * ({@code charset=ÿþ}), which made every route that asked a 500. Forms are UTF-8 whatever
     * the charset says (RFC 6749 Appendix B).
     */
    public static String contentType(Context ctx) {
        return Optional.ofNullable(ctx.header("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
    }

    /** Parameters kept form-encoded by Castgate itself, such as a pushed authorization request's. */
    public static Form urlEncoded(String encoded) {
        return new Form(UrlEncoded.decode(encoded.getBytes(StandardCharsets.UTF_8)));
    }

    /** The query string of a GET request. */
    public static Form query(Context ctx) {
        String query = Optional.ofNullable(ctx.queryString()).orElse("");
        return new Form(UrlEncoded.decode(query.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The body, refused (413) from its Content-Length before a byte of it is kept, or, sent
     * without one (chunked), as soon as it grows past the limit while Javalin reads it. Javalin
     * keeps it, for the few readers that look at one field of a url-encoded body themselves.
     * {@link JsonBody} reads a JSON body through it too.
     */
    static byte[] body(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > MAX_BODY_BYTES) {
            // A connection closed with unread bytes is reset, and the client, still sending,
            // loses the answer: a body a little too large is read and dropped first, so its
            // client learns why. A larger one is refused at once.
            if (length <= DISCARDED_BYTES) discard(ctx);
            throw new ContentTooLargeResponse();
        }
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            discard(ctx); // grew past the limit: the same courtesy, then 413 from the error handler
            throw e;
        } catch (RuntimeException e) {
            // The client broke off, or sent a chunk that is not one.
            throw OAuthException.invalidRequest("the request body could not be parsed");
        }
    }

    private static void discard(Context ctx) {
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            for (int n; read <= DISCARDED_BYTES && (n = in.read(buffer)) >= 0; ) read += n;
        } catch (IOException e) {
            // the client went away; the refusal stands
        }
    }

    /**
     * The parameter's value, or empty when absent or blank; repeated parameters are refused, and
     * so is a value that breaks {@link TextRule#DEFAULT} (one line, no control characters).
     */
    public Optional<String> optional(String name) { return optional(name, TextRule.DEFAULT); }

    /** As {@link #optional(String)}, the value held to {@code rule}: a column's width, or several lines. */
    public Optional<String> optional(String name, TextRule rule) {
        List<String> found = values.get(name);
        if (found == null || found.isEmpty()) return Optional.empty();
        if (found.size() > 1) throw OAuthException.invalidRequest("parameter " + name + " is repeated");
        String value = found.get(0);
        return value.isEmpty() ? Optional.empty() : Optional.of(rule.require(name, value));
    }

    /**
     * Every value of a parameter that may be repeated (RFC 8707 §2: {@code resource}), in order,
     * each held to {@code rule}; blank ones count as absent.
     */
    public List<String> all(String name, TextRule rule) {
        List<String> found = values.get(name);
        if (found == null) return List.of();
        return found.stream().filter(value -> !value.isEmpty()).map(value -> rule.require(name, value)).toList();
    }

    public String require(String name) { return require(name, TextRule.DEFAULT); }

    public String require(String name, TextRule rule) {
        return optional(name, rule).orElseThrow(() -> OAuthException.invalidRequest("parameter " + name + " is missing"));
    }

    /** Whether the parameter appears more than once, for callers that must not throw yet. */
    public boolean repeated(String name) {
        List<String> found = values.get(name);
        return found != null && found.size() > 1;
    }

    /**
     * The single value as sent, or empty when absent, blank or repeated, for the pages' forms:
     * they show a refused field again with their own message, and what they keep passes the
     * services' checks under the same {@link TextRule}s (a person's name, an email). Echoed into
     * an error, it is checked first.
     */
    public Optional<String> lenient(String name) {
        List<String> found = values.get(name);
        if (found == null || found.size() != 1 || found.get(0).isEmpty()) return Optional.empty();
        return Optional.of(found.get(0));
    }

    public boolean has(String name) { return values.containsKey(name); }

    /**
     * These parameters with {@code over}'s values in place of theirs, keeping of their own only the
     * names {@code keep} accepts: the parameters of a request object, with those sent beside it.
     */
    public Form overriddenBy(Map<String, String> over, java.util.function.Predicate<String> keep) {
        Map<String, List<String>> merged = new java.util.LinkedHashMap<>();
        values.forEach((name, found) -> {
            if (keep.test(name) && !over.containsKey(name)) merged.put(name, found);
        });
        over.forEach((name, value) -> merged.put(name, List.of(value)));
        return new Form(merged);
    }
}
