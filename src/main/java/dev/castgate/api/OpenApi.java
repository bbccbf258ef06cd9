package dev.castgate.api;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Castgate's OpenAPI 3 descriptions (the Streaming API's, the admin API's) share: the frame, paths, parameters, errors. */
public final class OpenApi {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

    /** The content of an error answer: {@code {"error", "error_description"}}. */
    public static final Map<String, Object> ERROR_CONTENT =
            Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));

    private OpenApi() {}

    /** A whole description with one server, the bearer scheme and the error schema. */
    public static Map<String, Object> document(String title, String description, String serverUrl, Map<String, Object> paths,
                                               String bearerDescription) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", title, "version", "1", "description", description));
        doc.put("servers", List.of(Map.of("url", serverUrl)));
        doc.put("paths", paths);
        Map<String, Object> error = Map.of("type", "object", "required", List.of("error", "error_description"),
                "properties", Map.of("error", Map.of("type", "string"), "error_description", Map.of("type", "string")));
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer", "description", bearerDescription)),
                "schemas", Map.of("Error", error)));
        return doc;
    }

    /** Puts {@code operation} under its path and method. */
    public static void add(Map<String, Object> paths, String path, HandlerType method, Map<String, Object> operation) {
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, p -> new LinkedHashMap<String, Object>());
        item.put(method.name().toLowerCase(Locale.ROOT), operation);
    }

    /** The path's {@code {name}} parameters, each a required string. */
    public static List<Object> pathParameters(String path) {
        List<Object> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(path);
        while (m.find()) parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        return parameters;
    }
}
