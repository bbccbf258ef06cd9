package dev.castgate.admin.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import dev.castgate.http.JsonBody;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON body, read at the edge into typed values: a member of the wrong type, or one
 * the route does not take, is invalid_request by name, so a typo is never silently ignored.
 * {@code null} is a value of its own for the fields where it means "back to the default".
 */
final class AdminBody {
    private final Map<String, Object> members;

    private AdminBody(Map<String, Object> members) { this.members = members; }

    /**
     * The body, required to be a JSON object of the {@code accepted} members, read and checked as
     * every JSON body is ({@link JsonBody}: type, size, one object, no member twice); a request
     * without a body is an empty object, for routes whose fields are all optional.
     */
    static AdminBody parse(Context ctx, Set<String> accepted) {
        if (ctx.req().getContentLengthLong() == 0 || ctx.req().getContentLengthLong() < 0 && ctx.header("Transfer-Encoding") == null) {
            return new AdminBody(Map.of());
        }
        Map<String, Object> members = Json.MAPPER.convertValue(JsonBody.parseObject(ctx), new TypeReference<LinkedHashMap<String, Object>>() {});
        for (String name : members.keySet()) {
            if (!accepted.contains(name)) throw OAuthException.invalidRequest("unknown field '" + name + "'");
        }
        return new AdminBody(members);
    }

    boolean has(String name) { return members.containsKey(name); }

    /** Present and null: "back to the default". */
    boolean isNull(String name) { return members.containsKey(name) && members.get(name) == null; }

    String requireString(String name) {
        return string(name).orElseThrow(() -> OAuthException.invalidRequest("'" + name + "' is required"));
    }

    Optional<String> string(String name) {
        Object value = members.get(name);
        if (value == null) return Optional.empty();
        if (!(value instanceof String s)) throw wrongType(name, "a string");
        return Optional.of(s);
    }

    Optional<Boolean> bool(String name) {
        Object value = members.get(name);
        if (value == null) return Optional.empty();
        if (!(value instanceof Boolean b)) throw wrongType(name, "true or false");
        return Optional.of(b);
    }

    /** A whole number of seconds (or another count), at most a century of seconds. */
    Optional<Long> integer(String name) {
        Object value = members.get(name);
        if (value == null) return Optional.empty();
        if (!(value instanceof Integer || value instanceof Long)) throw wrongType(name, "a whole number");
        long n = ((Number) value).longValue();
        if (n < 0 || n > 3_153_600_000L) throw OAuthException.invalidRequest("'" + name + "' must be between 0 and 3153600000");
        return Optional.of(n);
    }

    Optional<List<String>> strings(String name) {
        Object value = members.get(name);
        if (value == null) return Optional.empty();
        if (!(value instanceof List<?> list)) throw wrongType(name, "an array of strings");
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) throw wrongType(name, "an array of strings");
            strings.add(s);
        }
        return Optional.of(List.copyOf(strings));
    }

    /** A JSON object member, as its JSON text. */
    Optional<String> object(String name) {
        Object value = members.get(name);
        if (value == null) return Optional.empty();
        if (!(value instanceof Map<?, ?>)) throw wrongType(name, "a JSON object");
        return Optional.of(Json.write(value));
    }

    private static OAuthException wrongType(String name, String what) {
        return OAuthException.invalidRequest("'" + name + "' must be " + what);
    }
}
