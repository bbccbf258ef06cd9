package dev.castgate.admin.api;

import dev.castgate.admin.api.AdminRoute.Field;
import dev.castgate.domain.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3 description of the admin API, made from the same route table the router uses. */
final class AdminOpenApi {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

    private AdminOpenApi() {}

    static Map<String, Object> build(String issuer, String baseUrl, List<AdminRoute> routes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Castgate admin API", "version", "1",
                "description", "What the castgate command-line tool does, for an operator's tools. Every operation but this "
                        + "description needs an access token with the admin scope, which only an admin client (castgate client add "
                        + "--admin) receives, through the client_credentials grant. Bodies are JSON; errors are "
                        + "{\"error\", \"error_description\"}. Changes are audited, naming the admin client. Access tokens are checked "
                        + "with a cache of 5 seconds: a revoked token may keep working that long on another node. Responses carry "
                        + "X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset; a 429 also Retry-After."));
        doc.put("servers", List.of(Map.of("url", baseUrl)));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (AdminRoute route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<String, Object>());
            item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        paths.put(AdminApi.OPENAPI_PATH, Map.of("get", Map.of("operationId", "getOpenApi", "summary", "this OpenAPI 3 description",
                "security", List.of(), "responses", Map.of("200", Map.of("description", "success")))));
        doc.put("paths", paths);
        Map<String, Object> error = Map.of("type", "object", "required", List.of("error", "error_description"),
                "properties", Map.of("error", Map.of("type", "string"), "error_description", Map.of("type", "string")));
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                        "description", "an opaque or JWT access token with the " + Scope.ADMIN + " scope, from " + issuer
                                + "/oauth2/token with grant_type=client_credentials and scope=" + Scope.ADMIN + ", for an admin client")),
                "schemas", Map.of("Error", error)));
        return doc;
    }

    private static Map<String, Object> operation(AdminRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.operationId());
        op.put("summary", route.summary());
        List<Object> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(route.path());
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Field f : route.fields()) {
            Map<String, Object> schema = f.type().equals("array") ? Map.of("type", "array", "items", Map.of("type", "string"))
                    : Map.of("type", f.type());
            if (f.in() == AdminRoute.In.QUERY) {
                parameters.add(Map.of("name", f.name(), "in", "query", "required", false, "schema", schema, "description", f.description()));
                continue;
            }
            Map<String, Object> property = new LinkedHashMap<>(schema);
            property.put("description", f.description());
            properties.put(f.name(), property);
            if (f.required()) required.add(f.name());
        }
        if (!parameters.isEmpty()) op.put("parameters", parameters);
        op.put("security", List.of(Map.of("bearer", List.of(Scope.ADMIN))));
        if (!properties.isEmpty()) {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", properties);
            schema.put("additionalProperties", false);
            if (!required.isEmpty()) schema.put("required", required);
            op.put("requestBody", Map.of("required", !required.isEmpty(), "content", Map.of("application/json", Map.of("schema", schema))));
        }
        Map<String, Object> errorContent = Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(Integer.toString(route.successStatus()), Map.of("description", switch (route.successStatus()) {
            case 201 -> "created; Location names it";
            case 204 -> "done";
            default -> "success";
        }));
        responses.put("400", Map.of("description", "invalid_request: the request or a value in it is refused", "content", errorContent));
        responses.put("401", Map.of("description", "invalid_token: missing, malformed, expired or revoked, or its client is no "
                + "longer an admin client", "content", errorContent));
        responses.put("403", Map.of("description", "insufficient_scope: the token lacks the admin scope", "content", errorContent));
        if (route.path().contains("{")) responses.put("404", Map.of("description", "not_found", "content", errorContent));
        responses.put("429", Map.of("description", "too_many_requests", "content", errorContent));
        op.put("responses", responses);
        return op;
    }
}
