package dev.castgate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Writes JSON bodies; the one ObjectMapper of the server. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response body", e);
        }
    }

    /** JSON the server wrote itself (such as a stored, checked key set), read back to be shown inside a body. */
    public static com.fasterxml.jackson.databind.JsonNode stored(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    public static void respond(Context ctx, int status, Object body) {
        respondRaw(ctx, status, write(body));
    }

    /** For bodies serialised once and reused, such as the discovery document. */
    public static void respondRaw(Context ctx, int status, String json) {
        ctx.status(status).contentType("application/json;charset=UTF-8").result(json);
    }
}
