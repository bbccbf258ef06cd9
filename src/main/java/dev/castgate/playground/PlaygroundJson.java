package dev.castgate.playground;

import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.http.Json;
import java.io.IOException;

/** Reading the server's JSON answers for the playground page: shown pretty-printed, a few fields picked out. */
final class PlaygroundJson {
    private PlaygroundJson() {}

    /** The body pretty-printed, or as it came when it is not JSON. */
    static String pretty(String body) {
        JsonNode node = parse(body);
        if (node == null) return body;
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return body;
        }
    }

    static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    static String field(String body, String outer, String inner) {
        JsonNode node = parse(body);
        if (node == null || node.get(outer) == null) return null;
        return text(node.get(outer), inner);
    }

    static String firstChannel(String body) {
        JsonNode node = parse(body);
        JsonNode channels = node == null ? null : node.get("channels");
        if (channels == null || !channels.isObject() || channels.isEmpty()) return null;
        return channels.fieldNames().next();
    }
}
