package dev.castgate.admin.api;

import dev.castgate.admin.AdminException;
import dev.castgate.audit.Operator;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import dev.castgate.registration.RegistrationTokens;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /registration-tokens}: initial access tokens for dynamic client registration, as
 * {@code castgate registration-token create|list|revoke} makes, lists and revokes them, through
 * {@link RegistrationTokens}. A new token's secret is in the creation's answer only.
 */
record RegistrationTokensResource(RegistrationTokens tokens, String base) {
    void list(Context ctx, Operator operator) {
        Json.respond(ctx, 200, Map.of("registration_tokens", tokens.list().stream().map(tokens::describe).toList()));
    }

    void create(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.REGISTRATION_TOKEN_FIELDS));
        Duration ttl = b.integer("ttl").map(Duration::ofSeconds).orElse(RegistrationTokens.DEFAULT_TTL);
        Optional<Integer> uses = b.integer("uses").map(n -> {
            if (n > Integer.MAX_VALUE) throw new AdminException("uses must be at most " + Integer.MAX_VALUE);
            return n.intValue();
        });
        RegistrationTokens.Created created = tokens.create(ttl, uses, operator);
        Map<String, Object> body = tokens.describe(created.token());
        body.put("token", created.secret());
        ctx.header("Location", base + "/registration-tokens/" + created.token().id());
        Json.respond(ctx, 201, body);
    }

    void get(Context ctx, Operator operator) {
        String id = ctx.pathParam("id");
        Json.respond(ctx, 200, tokens.list().stream().filter(t -> t.id().equals(id)).findFirst().map(tokens::describe)
                .orElseThrow(() -> new OAuthException(OAuthError.NOT_FOUND, "no registration token " + id)));
    }

    void revoke(Context ctx, Operator operator) {
        String id = ctx.pathParam("id");
        if (!tokens.revoke(id, operator)) throw new OAuthException(OAuthError.NOT_FOUND, "no registration token " + id);
        Json.respond(ctx, 200, Map.of("id", id, "revoked", true));
    }
}
