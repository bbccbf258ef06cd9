package dev.castgate.admin.api;

import dev.castgate.audit.Operator;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One route of the admin API: the single source from which both the router and the OpenAPI
 * description are made. {@code path} is relative to {@code /admin/api} and uses {@code {name}}
 * parameters, as Javalin and OpenAPI both spell them. Every route but the description needs an
 * access token with the {@code admin} scope; the router checks it before the handler runs.
 */
record AdminRoute(
        HandlerType method,
        String path,
        String operationId,
        String summary,
        AdminHandler handler,
        List<Field> fields,
        int successStatus) {

    /** Handles a request an admin client made; changes through it are audited as {@code operator}'s. */
    @FunctionalInterface
    interface AdminHandler {
        void handle(Context ctx, Operator operator);
    }

    /** Where a field comes from: a member of the JSON body, or a query parameter. */
    enum In { BODY, QUERY }

    /** A field of the request, with its JSON schema type (string, boolean, integer, array of strings). */
    record Field(String name, In in, boolean required, String type, String description) {
        static Field body(String name, boolean required, String type, String description) {
            return new Field(name, In.BODY, required, type, description);
        }

        static Field query(String name, String type, String description) {
            return new Field(name, In.QUERY, false, type, description);
        }
    }

    /** Whether the route changes something (it is audited, and caches are told). */
    boolean changes() { return method != HandlerType.GET; }
}
