package dev.castgate.admin.api;

import dev.castgate.audit.Operator;
import dev.castgate.domain.Resource;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import dev.castgate.resource.Resources;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /resources}: the resource servers clients may name with resource indicators (RFC 8707),
 * as {@code castgate resource add|list|remove} registers, lists and removes them, through {@link Resources}.
 * A resource's URI is its name, so removal takes it in the query rather than in the path.
 */
record ResourcesResource(Resources resources) {
    void list(Context ctx, Operator operator) {
        Json.respond(ctx, 200, Map.of("resources", resources.list().stream().map(resources::describe).toList()));
    }

    void add(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.RESOURCE_FIELDS));
        Optional<String> scopes = b.strings("scopes").map(list -> String.join(",", list));
        Resource added = resources.add(b.requireString("uri"), b.requireString("name"), scopes, operator);
        Json.respond(ctx, 201, resources.describe(added));
    }

    void remove(Context ctx, Operator operator) {
        String uri = Optional.ofNullable(ctx.queryParam("uri")).filter(u -> !u.isEmpty())
                .orElseThrow(() -> OAuthException.invalidRequest("'uri' is required"));
        resources.remove(uri, operator);
        Json.respond(ctx, 200, Map.of("uri", uri, "removed", true));
    }
}
