package dev.castgate.api;

import dev.castgate.api.ApiRoute.Access.NoToken;
import dev.castgate.api.ApiRoute.Access.OptionalToken;
import dev.castgate.api.ApiRoute.Access.Token;
import dev.castgate.api.ApiRoute.Access.Write;
import dev.castgate.api.ApiRoute.Field;
import dev.castgate.domain.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3 description of the Streaming API, made from the same route table the router uses. */
final class OpenApiDocument {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

    private OpenApiDocument() {}

    static Map<String, Object> build(String issuer, String apiUrl, List<ApiRoute> routes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Castgate Streaming API", "version", "1",
                "description", "Every path also answers with a .json suffix (except /broadcast/on_publish and /openapi.json). "
                        + "Reading the user's profile, channels and videos takes a token of any scope. Creating, changing and "
                        + "deleting channels and videos needs the broadcaster scope, as do ingest settings, channel keys and device "
                        + "passwords; only the tokens of a client registered for the original service's scope-free writes "
                        + "(castgate client add --legacy-api-writes) change channels and videos without it. "
                        + "Access tokens are checked with a cache of 5 seconds: a revoked token may keep working that long. "
                        + "Responses carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset; a 429 also Retry-After."));
        doc.put("servers", List.of(Map.of("url", apiUrl)));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (ApiRoute route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<String, Object>());
            item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        doc.put("paths", paths);
        Map<String, Object> error = Map.of("type", "object", "required", List.of("error", "error_description"),
                "properties", Map.of("error", Map.of("type", "string"), "error_description", Map.of("type", "string")));
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                        "description", "an opaque or JWT access token from " + issuer + "/oauth2/token")),
                "schemas", Map.of("Error", error)));
        return doc;
    }

    private static Map<String, Object> operation(ApiRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.operationId());
        op.put("summary", route.summary());
        List<Object> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(route.path());
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) op.put("parameters", parameters);
        switch (route.access()) {
            case Token token -> op.put("security", List.of(Map.of("bearer", token.scope().map(List::of).orElse(List.of()))));
            case Write write -> {
                op.put("description", "Needs the " + Scope.BROADCASTER + " scope, unless the token's client is registered "
                        + "for the original service's scope-free writes (--legacy-api-writes).");
                op.put("security", List.of(Map.of("bearer", List.of(Scope.BROADCASTER))));
            }
            case OptionalToken optional -> op.put("security", List.of(Map.of(), Map.of("bearer", List.of())));
            case NoToken open -> op.put("security", List.of());
        }
        if (!route.fields().isEmpty()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (Field f : route.fields()) {
                properties.put(f.name(), Map.of("type", f.type(), "description", f.description()));
                if (f.required()) required.add(f.name());
            }
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", properties);
            if (!required.isEmpty()) schema.put("required", required);
            op.put("requestBody", Map.of("required", true,
                    "content", Map.of("application/x-www-form-urlencoded", Map.of("schema", schema))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(Integer.toString(route.successStatus()), Map.of("description", route.successStatus() == 204 ? "done" : "success"));
        Map<String, Object> errorContent = Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
        if (route.path().equals("/broadcast/on_publish")) {
            responses.put("400", Map.of("description", "invalid_request: no stream name", "content", errorContent));
            responses.put("403", Map.of("description", "the publish is refused", "content", errorContent));
            op.put("responses", responses);
            return op;
        }
        if (route.access() instanceof NoToken) {
            op.put("responses", responses);
            return op;
        }
        if (!route.fields().isEmpty()) responses.put("400", Map.of("description", "invalid_request", "content", errorContent));
        responses.put("401", Map.of("description", "invalid_token: missing, malformed, expired or revoked", "content", errorContent));
        if (route.access() instanceof Token || route.access() instanceof Write) {
            responses.put("403", Map.of("description", "insufficient_scope or lack_of_ownership", "content", errorContent));
        }
        if (route.path().contains("{")) responses.put("404", Map.of("description", "not_found", "content", errorContent));
        responses.put("429", Map.of("description", "too_many_requests", "content", errorContent));
        op.put("responses", responses);
        return op;
    }
}
