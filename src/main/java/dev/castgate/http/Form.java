package dev.castgate.http;

import dev.castgate.error.OAuthException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one request, checked at the edge: the body's content type, and no parameter
 * given twice (RFC 6749 §3.1, §3.2). Parameters sent without a value count as absent (§3.1).
 */
public final class Form {
    private final Map<String, List<String>> values;

    private Form(Map<String, List<String>> values) { this.values = values; }

    /** A POST body: form-urlencoded, or multipart/form-data as the original's clients send it. */
    public static Form parse(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
            throw OAuthException.invalidRequest("the request body must be application/x-www-form-urlencoded");
        }
        try {
            return new Form(ctx.formParamMap());
        } catch (io.javalin.http.HttpResponseException e) {
            throw e; // a body over the size limit: answered 413 by the error handler
        } catch (Exception e) {
            // The multipart parser throws (a checked ServletException, rethrown unchecked) on a malformed body.
            throw OAuthException.invalidRequest("the request body could not be parsed");
        }
    }

    /** The query string of a GET request. */
    public static Form query(Context ctx) { return new Form(ctx.queryParamMap()); }

    /** The parameter's value, or empty when absent or blank; repeated parameters are refused. */
    public Optional<String> optional(String name) {
        List<String> found = values.get(name);
        if (found == null || found.isEmpty()) return Optional.empty();
        if (found.size() > 1) throw OAuthException.invalidRequest("parameter " + name + " is repeated");
        String value = found.get(0);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String require(String name) {
        return optional(name).orElseThrow(() -> OAuthException.invalidRequest("parameter " + name + " is missing"));
    }

    /** Whether the parameter appears more than once, for callers that must not throw yet. */
    public boolean repeated(String name) {
        List<String> found = values.get(name);
        return found != null && found.size() > 1;
    }

    /** The single value, or empty when absent, blank or repeated: for echoing state into an error. */
    public Optional<String> lenient(String name) {
        List<String> found = values.get(name);
        if (found == null || found.size() != 1 || found.get(0).isEmpty()) return Optional.empty();
        return Optional.of(found.get(0));
    }

    public boolean has(String name) { return values.containsKey(name); }
}
