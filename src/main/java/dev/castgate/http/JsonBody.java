package dev.castgate.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.castgate.error.OAuthException;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * A JSON object sent as a request body (dynamic client registration, RFC 7591 §3.1), checked at
 * the edge: the content type, the size (as a form's), JSON that parses, no member given twice
 * (which one would count is a guess), and an object at the top. A request that fails any of
 * these is not a request for anything: {@code invalid_request}.
 */
public final class JsonBody {
    private static final ObjectReader READER = Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonBody() {}

    public static ObjectNode parseObject(Context ctx) {
        String type = Form.contentType(ctx);
        if (!type.equals("application/json") && !type.startsWith("application/json;")) {
            throw OAuthException.invalidRequest("the request body must be application/json");
        }
        byte[] body = Form.body(ctx);
        try {
            if (READER.readTree(body) instanceof ObjectNode object) return object;
        } catch (JsonProcessingException e) {
            throw OAuthException.invalidRequest("the request body is not valid JSON");
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the request body could not be read");
        }
        throw OAuthException.invalidRequest("the request body must be a JSON object");
    }
}
