package dev.castgate.admin.api;

import dev.castgate.admin.api.AdminRoute.Field;
import dev.castgate.api.OpenApi;
import dev.castgate.domain.Scope;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3 description of the admin API, made from the same route table the router uses. */
final class AdminOpenApi {
    private AdminOpenApi() {}

    static Map<String, Object> build(String issuer, String baseUrl, List<AdminRoute> routes) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (AdminRoute route : routes) OpenApi.add(paths, route.path(), route.method(), operation(route));
        OpenApi.add(paths, AdminApi.OPENAPI_PATH, HandlerType.GET, Map.of("operationId", "getOpenApi", "summary", "this OpenAPI 3 description",
                "security", List.of(), "responses", Map.of("200", Map.of("description", "success"))));
        return OpenApi.document("Castgate admin API",
                "What the castgate command-line tool does, for an operator's tools. Every operation but this "
                        + "description needs an access token with the admin scope, which only an admin client (castgate client add "
                        + "--admin) receives, through the client_credentials grant. Bodies are JSON; errors are "
                        + "{\"error\", \"error_description\"}. Changes are audited, naming the admin client. Access tokens are checked "
                        + "with a cache of 5 seconds: a revoked token may keep working that long on another node. Responses carry "
                        + "X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset; a 429 also Retry-After.",
                baseUrl, paths, "an opaque or JWT access token with the " + Scope.ADMIN + " scope, from " + issuer
                        + "/oauth2/token with grant_type=client_credentials and scope=" + Scope.ADMIN + ", for an admin client");
    }

    private static Map<String, Object> operation(AdminRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.operationId());
        op.put("summary", route.summary());
        List<Object> parameters = new ArrayList<>(OpenApi.pathParameters(route.path()));
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
        Map<String, Object> errorContent = OpenApi.ERROR_CONTENT;
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
