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
import java.util.Map;

/** The OpenAPI 3 description of the Streaming API, made from the same route table the router uses. */
final class OpenApiDocument {
    private OpenApiDocument() {}

    static Map<String, Object> build(String issuer, String apiUrl, List<ApiRoute> routes) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (ApiRoute route : routes) OpenApi.add(paths, route.path(), route.method(), operation(route));
        return OpenApi.document("Castgate Streaming API",
                "Every path also answers with a .json suffix (except /broadcast/on_publish and /openapi.json). "
                        + "Reading the user's profile, channels and videos takes a token of any scope. Creating, changing and "
                        + "deleting channels and videos needs the broadcaster scope, as do ingest settings, channel keys and device "
                        + "passwords; only the tokens of a client registered for the original service's scope-free writes "
                        + "(castgate client add --legacy-api-writes) change channels and videos without it. "
                        + "Access tokens are checked with a cache of 5 seconds: a revoked token may keep working that long. "
                        + "Responses carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset; a 429 also Retry-After.",
                apiUrl, paths, "an opaque or JWT access token from " + issuer + "/oauth2/token");
    }

    private static Map<String, Object> operation(ApiRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.operationId());
        op.put("summary", route.summary());
        List<Object> parameters = OpenApi.pathParameters(route.path());
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
        Map<String, Object> errorContent = OpenApi.ERROR_CONTENT;
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
